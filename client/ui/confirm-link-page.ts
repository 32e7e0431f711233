import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { ApiProblem } from '../data/api.js';
import { pageStyles } from './shared-styles.js';
import { formStyles } from './form-styles.js';
import { tokenFromHash } from './token-from-hash.js';

/** What a page opened from a mail link confirms, and its words. */
export interface ConfirmLinkTexts {
  /** Spends the link's token with the server; its answer's sentence is shown. */
  confirm: (token: string) => Promise<{ message: string }>;
  title: string;
  intro: string;
  button: string;
  next: TemplateResult;
}

/**
 * Opened from a link in a mail (its token in the fragment). The person presses a button to finish (a mail scanner
 * that opens links does not use up the link). What it confirms is the page's `texts`: a new account
 * (features/sign-up/verify-email-page.ts) or a changed address (features/account/confirm-email-page.ts).
 */
export abstract class ConfirmLinkPage extends LitElement {
  static override styles = [pageStyles, formStyles];
  @state() private result: { ok: boolean; message: string } | undefined;
  @state() private busy = false;
  private readonly token = tokenFromHash();
  protected abstract texts: ConfirmLinkTexts;

  private async confirm() {
    const token = this.token;
    if (!token) return; // the button is shown only with a token
    this.busy = true;
    try {
      const r = await this.texts.confirm(token);
      this.result = { ok: true, message: r.message };
      history.replaceState(null, '', location.pathname); // the token is spent; keep it out of history
    } catch (error) {
      this.result = {
        ok: false,
        message: error instanceof ApiProblem ? error.message : 'That did not work. Please try again.',
      };
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const t = this.texts;
    if (!this.token) {
      return html`<h1>${t.title}</h1>
        <p class="alert" role="alert">This link is incomplete. Open the link from the email again, or copy all of it into the address bar.</p>`;
    }
    return html`<h1>${t.title}</h1>
      ${
        this.result
          ? html`<p class=${this.result.ok ? 'success' : 'alert'} role=${this.result.ok ? 'status' : 'alert'}>${this.result.message}</p>
            ${this.result.ok ? t.next : nothing}`
          : html`<p>${t.intro}</p>
            <button @click=${this.confirm} ?disabled=${this.busy}>${t.button}</button>`
      }`;
  }
}
