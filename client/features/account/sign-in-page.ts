import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { sessionContext } from '../../app/session-context.js';
import type { SessionController } from '../../app/session-controller.js';
import { ApiProblem } from '../../data/api.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import { navigate } from '../../app/navigate.js';

/** Sign in with username or email and password. Online only; says so when offline. */
@customElement('mcl-sign-in-page')
export class SignInPage extends LitElement {
  static override styles = [pageStyles, formStyles];

  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;

  @state() private error: string | undefined;
  @state() private busy = false;

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    this.busy = true;
    this.error = undefined;
    try {
      await this.session!.signIn(String(data.get('login') ?? ''), String(data.get('password') ?? ''));
      navigate(this, '/');
    } catch (error) {
      this.error = error instanceof ApiProblem ? error.message : 'Signing in did not work. Please try again.';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.alert')?.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const notice = this.session?.notice;
    return html`
      <h1>Sign in</h1>
      ${notice ? html`<p class="success" role="status">${notice}</p>` : nothing}
      ${this.error ? html`<p class="alert" role="alert" tabindex="-1">${this.error}</p>` : nothing}
      <form @submit=${this.submit} novalidate>
        <div class="field">
          <label for="login">Username or email address</label>
          <input id="login" name="login" type="text" autocomplete="username" required autocapitalize="none" spellcheck="false"
            aria-invalid=${this.error ? 'true' : 'false'} />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required
            aria-invalid=${this.error ? 'true' : 'false'} />
        </div>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      <p><a href="/forgot-password">Forgot your password?</a></p>
      <p>New here? <a href="/sign-up">Create your account</a> with the activation code from the clinic or your record details.</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-sign-in-page': SignInPage;
  }
}
