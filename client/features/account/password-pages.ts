import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, ApiProblem } from '../../data/api.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import { tokenFromHash } from './token-from-hash.js';
import type { PasswordField } from './password-field.js';
import './password-field.js';

/** Forgot password: ask for a reset link by email. The answer does not say whether the address has an account. */
@customElement('mcl-forgot-password-page')
export class ForgotPasswordPage extends LitElement {
  static override styles = [pageStyles, formStyles];
  @state() private message: { ok: boolean; text: string } | undefined;

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const email = String(new FormData(event.target as HTMLFormElement).get('email') ?? '');
    try {
      const r = await api<{ message: string }>('POST', '/api/password-reset', { email });
      this.message = { ok: true, text: r.message };
    } catch (error) {
      this.message = { ok: false, text: error instanceof ApiProblem ? error.message : 'That did not work. Please try again.' };
    }
  }

  override render() {
    return html`<h1>Forgot password</h1>
      ${this.message ? html`<p class=${this.message.ok ? 'success' : 'alert'} role=${this.message.ok ? 'status' : 'alert'}>${this.message.text}</p>` : nothing}
      <form @submit=${this.submit} novalidate>
        <div class="field">
          <label for="email">Email address of your account</label>
          <input id="email" name="email" type="email" autocomplete="email" required />
        </div>
        <button type="submit">Send me a link</button>
      </form>`;
  }
}

/** Opened from the reset mail: choose a new password. Every session of the account ends when it is changed. */
@customElement('mcl-reset-password-page')
export class ResetPasswordPage extends LitElement {
  static override styles = [pageStyles, formStyles];
  @state() private result: { ok: boolean; text: string } | undefined;
  @state() private fieldError: string | undefined;
  private readonly token = tokenFromHash();

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const password = this.renderRoot.querySelector<PasswordField>('mcl-password-field')!.value;
    this.fieldError = undefined;
    try {
      const r = await api<{ message: string }>('POST', '/api/password-reset/confirm', { token: this.token, password });
      this.result = { ok: true, text: r.message };
      history.replaceState(null, '', location.pathname);
    } catch (error) {
      const text = error instanceof ApiProblem ? error.message : 'That did not work. Please try again.';
      if (error instanceof ApiProblem && error.code === 'weak_password') this.fieldError = text;
      else this.result = { ok: false, text };
    }
  }

  override render() {
    if (!this.token) return html`<h1>Choose a new password</h1><p class="alert" role="alert">This link is incomplete. Open the link from the email again.</p>`;
    if (this.result?.ok) return html`<h1>Choose a new password</h1><p class="success" role="status">${this.result.text}</p><p><a href="/sign-in">Sign in</a></p>`;
    return html`<h1>Choose a new password</h1>
      ${this.result ? html`<p class="alert" role="alert">${this.result.text}</p>` : nothing}
      <form @submit=${this.submit} novalidate>
        <mcl-password-field .error=${this.fieldError}></mcl-password-field>
        <button type="submit">Save my new password</button>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-forgot-password-page': ForgotPasswordPage;
    'mcl-reset-password-page': ResetPasswordPage;
  }
}
