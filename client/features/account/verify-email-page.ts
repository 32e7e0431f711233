import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, ApiProblem } from '../../data/api.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import { tokenFromHash } from './token-from-hash.js';

/**
 * Opened from the verification mail. The person presses a button to finish (a mail scanner that opens links does not
 * use up the link).
 */
@customElement('mcl-verify-email-page')
export class VerifyEmailPage extends LitElement {
  static override styles = [pageStyles, formStyles];
  @state() private result: { ok: boolean; message: string } | undefined;
  @state() private busy = false;
  private readonly token = tokenFromHash();
  /** What this page confirms: a new account (sign-up) here, a changed address in ConfirmEmailPage. */
  protected texts = {
    endpoint: '/api/signup/confirm',
    title: 'Confirm your email',
    intro: 'Press the button to confirm your email address and finish creating your account.',
    button: 'Finish creating my account',
    next: html`<p><a href="/sign-in">Sign in now</a></p>`,
  };

  private async confirm() {
    this.busy = true;
    try {
      const r = await api<{ message: string }>('POST', this.texts.endpoint, { token: this.token });
      this.result = { ok: true, message: r.message };
      history.replaceState(null, '', location.pathname); // the token is spent; keep it out of history
    } catch (error) {
      this.result = { ok: false, message: error instanceof ApiProblem ? error.message : 'That did not work. Please try again.' };
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
      ${this.result
        ? html`<p class=${this.result.ok ? 'success' : 'alert'} role=${this.result.ok ? 'status' : 'alert'}>${this.result.message}</p>
            ${this.result.ok ? t.next : nothing}`
        : html`<p>${t.intro}</p>
            <button @click=${this.confirm} ?disabled=${this.busy}>${t.button}</button>`}`;
  }
}

/** Opened from the mail sent to a new email address (Account → Security → change email address). */
@customElement('mcl-confirm-email-page')
export class ConfirmEmailPage extends VerifyEmailPage {
  protected override texts = {
    endpoint: '/api/account/email/confirm',
    title: 'Confirm your new email address',
    intro: 'Press the button to start using this email address for your portal account.',
    button: 'Use this email address',
    next: html`<p><a href="/">Go to the portal</a></p>`,
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-verify-email-page': VerifyEmailPage;
    'mcl-confirm-email-page': ConfirmEmailPage;
  }
}
