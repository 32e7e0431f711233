import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { downloadFile } from '../../ui/download.js';

/**
 * Ten recovery codes, shown once: what they are for, the codes in a large monospace list, a way to save them as a
 * file, and a button to say they are saved (the parent hides them then: they are not shown again).
 */
@customElement('mcl-recovery-codes')
export class RecoveryCodes extends LitElement {
  static override styles = [
    pageStyles,
    css`
      ol {
        font-family: ui-monospace, 'DejaVu Sans Mono', monospace;
        font-size: 1.2rem;
        columns: 2 12rem;
      }
      li {
        margin: 0.2rem 0;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
      }
    `,
  ];
  @property({ attribute: false }) codes: string[] = [];

  private download() {
    const text = `Recovery codes for your patient portal account\nEach code works once. Keep them somewhere safe.\n\n${this.codes.join('\n')}\n`;
    downloadFile('portal-recovery-codes.txt', [text], 'text/plain');
  }

  override render() {
    return html`<section class="card" aria-labelledby="codes-title">
      <h2 id="codes-title" tabindex="-1">Your recovery codes</h2>
      <p>If you lose your phone or passkey, each of these codes lets you sign in once. Write them down or save them now:
        <strong>they will not be shown again.</strong></p>
      <ol class="codes">${this.codes.map((c) => html`<li>${c}</li>`)}</ol>
      <div class="row">
        <button type="button" class="secondary" @click=${this.download}>Save as a file</button>
        <button type="button" @click=${() => this.dispatchEvent(new Event('saved', { bubbles: true, composed: true }))}>I have saved them</button>
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-recovery-codes': RecoveryCodes;
  }
}
