import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';

/** Forgot password: ask for a reset link by email. The answer does not say whether the address has an account. */
@customElement('mcl-forgot-password-page')
export class ForgotPasswordPage extends LitElement {
  static override styles = [pageStyles, formStyles];
  @state() private message: { ok: boolean; text: string } | undefined;

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const email = String(new FormData(event.target as HTMLFormElement).get('email') ?? '');
    try {
      const r = await ok(portal.api['password-reset'].$post({ json: { email } }));
      this.message = { ok: true, text: r.message };
    } catch (error) {
      this.message = {
        ok: false,
        text: error instanceof ApiProblem ? error.message : 'That did not work. Please try again.',
      };
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

declare global {
  interface HTMLElementTagNameMap {
    'mcl-forgot-password-page': ForgotPasswordPage;
  }
}
