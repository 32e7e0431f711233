import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiProblem } from '../../../data/api.js';
import { ok, portal } from '../../../data/portal.js';
import { pageStyles } from '../../../ui/shared-styles.js';
import { formStyles } from '../../../ui/form-styles.js';
import { tokenFromHash } from '../../../ui/token-from-hash.js';
import { consume } from '@lit/context';
import { sessionContext } from '../../../session/session-context.js';
import type { SessionController } from '../../../session/session-controller.js';
import { navigate } from '../../../session/navigate.js';
import type { PasswordField } from '../../../ui/fields/password-field.js';
import '../../../ui/fields/password-field.js';

/**
 * Opened from the staff enrolment mail: choose a username and a password for the new staff account. The link's
 * session may then add the staff member's first passkey (staff sign in with passkeys only), on the next page.
 */
@customElement('mcl-staff-enrol-page')
export class StaffEnrolPage extends LitElement {
  static override styles = [pageStyles, formStyles];
  @state() private result: { ok: boolean; text: string } | undefined;
  @state() private errors: Record<string, string> = {};
  private readonly token = tokenFromHash();
  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    // The form is shown only with a token (render); the server's body requires one.
    const token = this.token;
    if (!token) return;
    const username = String(new FormData(event.target as HTMLFormElement).get('username') ?? '');
    const password = this.renderRoot.querySelector<PasswordField>('mcl-password-field')!.value;
    this.errors = {};
    try {
      const r = await ok(portal.api['staff-enrol'].$post({ json: { token, username, password } }));
      this.result = { ok: true, text: r.message };
      history.replaceState(null, '', location.pathname);
      await this.session?.refresh();
      if (this.session?.account) navigate(this, '/account/protect');
    } catch (error) {
      if (error instanceof ApiProblem && error.issues.length)
        this.errors = Object.fromEntries(error.issues.map((i) => [i.path, i.message]));
      else
        this.result = {
          ok: false,
          text: error instanceof ApiProblem ? error.message : 'That did not work. Please try again.',
        };
    }
  }

  override render() {
    if (!this.token)
      return html`<h1>Set up your staff account</h1><p class="alert" role="alert">This link is incomplete. Open the link from the email again.</p>`;
    if (this.result?.ok)
      return html`<h1>Set up your staff account</h1><p class="success" role="status">${this.result.text}</p><p><a href="/sign-in">Sign in</a></p>`;
    const err = this.errors.username;
    return html`<h1>Set up your staff account</h1>
      ${this.result ? html`<p class="alert" role="alert">${this.result.text}</p>` : nothing}
      <form @submit=${this.submit} novalidate>
        <div class="field">
          <label for="username">Username</label>
          <input id="username" name="username" type="text" autocomplete="username" aria-invalid=${err ? 'true' : 'false'}
            aria-describedby=${err ? 'username-error' : nothing} />
          ${err ? html`<p class="error" id="username-error">${err}</p>` : nothing}
        </div>
        <mcl-password-field .error=${this.errors.password}></mcl-password-field>
        <button type="submit">Finish setting up</button>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-staff-enrol-page': StaffEnrolPage;
  }
}
