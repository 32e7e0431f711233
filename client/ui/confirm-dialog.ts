import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { pageStyles } from './shared-styles.js';

/** What a confirmation asks: a question as its title, what will happen, and the words of the two buttons. */
export interface ConfirmQuestion {
  title: string;
  text: string;
  /** The button that does it, in words of what it does ("End their access"). */
  yes: string;
  /** The button that leaves everything as it is. */
  no?: string;
}

/**
 * A question before something that cannot be undone (ending a caregiver's access, leaving): a modal <dialog>
 * (focus kept inside, Escape or the second button answers no). `ask()` resolves true for yes. The safe answer has
 * the focus first, so a stray Enter changes nothing.
 */
@customElement('mcl-confirm-dialog')
export class ConfirmDialog extends LitElement {
  static override styles = [
    pageStyles,
    css`
      dialog {
        max-width: min(34rem, 92vw);
        border: 2px solid var(--mcl-primary, #0b5d66);
        border-radius: 10px;
        padding: 1.25rem 1.5rem;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.45);
      }
      h2 {
        margin-top: 0;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
      }
    `,
  ];
  @query('dialog') private dialog!: HTMLDialogElement;
  @state() private question: ConfirmQuestion | undefined;
  private resolve: ((yes: boolean) => void) | undefined;

  async ask(question: ConfirmQuestion): Promise<boolean> {
    this.question = question;
    await this.updateComplete;
    this.dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('button.secondary')?.focus();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  private answer(yes: boolean) {
    if (this.dialog.open) this.dialog.close();
    this.resolve?.(yes);
    this.resolve = undefined;
  }

  override render() {
    const q = this.question;
    return html`<dialog aria-labelledby="confirm-title" aria-describedby="confirm-text" @cancel=${() => this.answer(false)}>
      <h2 id="confirm-title">${q?.title ?? ''}</h2>
      <p id="confirm-text">${q?.text ?? ''}</p>
      <div class="buttons">
        <button type="button" class="secondary" @click=${() => this.answer(false)}>${q?.no ?? 'No, keep it as it is'}</button>
        <button type="button" @click=${() => this.answer(true)}>${q?.yes ?? 'Yes'}</button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-confirm-dialog': ConfirmDialog;
  }
}
