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

  private async confirm() {
    this.busy = true;
    try {
      const r = await api<{ message: string }>('POST', '/api/signup/confirm', { token: this.token });
      this.result = { ok: true, message: r.message };
      history.replaceState(null, '', location.pathname); // the token is spent; keep it out of history
    } catch (error) {
      this.result = { ok: false, message: error instanceof ApiProblem ? error.message : 'That did not work. Please try again.' };
    } finally {
      this.busy = false;
    }
  }

  override render() {
    if (!this.token) {
      return html`<h1>Confirm your email</h1>
        <p class="alert" role="alert">This link is incomplete. Open the link from the email again, or copy all of it into the address bar.</p>`;
    }
    return html`<h1>Confirm your email</h1>
      ${this.result
        ? html`<p class=${this.result.ok ? 'success' : 'alert'} role=${this.result.ok ? 'status' : 'alert'}>${this.result.message}</p>
            ${this.result.ok ? html`<p><a href="/sign-in">Sign in now</a></p>` : nothing}`
        : html`<p>Press the button to confirm your email address and finish creating your account.</p>
            <button @click=${this.confirm} ?disabled=${this.busy}>Finish creating my account</button>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-verify-email-page': VerifyEmailPage;
  }
}
