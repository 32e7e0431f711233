import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { pageStyles } from '../ui/shared-styles.js';

/**
 * Warns before an inactivity sign-out (WCAG 2.2.1 Timing Adjustable): a dialog with the time left and a one-click
 * "Stay signed in", which may be pressed any number of times. The countdown is visible every second; screen readers
 * hear the warning once when it opens, and the button has focus.
 *
 * @fires mcl-stay-signed-in - the person asked for more time
 */
@customElement('mcl-idle-warning')
export class IdleWarning extends LitElement {
  static override styles = [
    pageStyles,
    css`
      .backdrop {
        position: fixed;
        inset: 0;
        background: rgb(0 0 0 / 45%);
        display: grid;
        place-items: center;
        z-index: 100;
      }
      [role='alertdialog'] {
        background: #fff;
        border-radius: 10px;
        padding: 1.25rem 1.5rem;
        max-width: 26rem;
        margin: 1rem;
      }
    `,
  ];

  @property({ type: Number }) seconds = 60;

  override firstUpdated(): void {
    this.renderRoot.querySelector('button')?.focus();
  }

  private stay() {
    this.dispatchEvent(new CustomEvent('mcl-stay-signed-in', { bubbles: true, composed: true }));
  }

  override render() {
    const minutes = Math.floor(this.seconds / 60);
    const seconds = this.seconds % 60;
    const parts = [
      minutes ? `${minutes} minute${minutes > 1 ? 's' : ''}` : '',
      seconds || !minutes ? `${seconds} second${seconds === 1 ? '' : 's'}` : '',
    ];
    const left = parts.filter(Boolean).join(' ');
    return html`<div class="backdrop">
      <div role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text">
        <h2 id="idle-title">Are you still there?</h2>
        <p id="idle-text">For your privacy you will be signed out soon because nothing has happened for a while.</p>
        <p aria-hidden="true"><strong class="countdown">Signing out in ${left}</strong></p>
        <button @click=${this.stay}>Stay signed in</button>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-idle-warning': IdleWarning;
  }
}
