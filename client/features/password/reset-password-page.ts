import { LitElement, html, nothing } from 'lit';
import type { SecondFactorInput, SecondStep } from '../../session/second-factor.js';
import '../../session/second-factor.js';
import { customElement, state } from 'lit/decorators.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import { tokenFromHash } from '../../ui/token-from-hash.js';
import type { PasswordField } from '../../ui/fields/password-field.js';
import '../../ui/fields/password-field.js';

/**
 * The second step as the confirm call takes it: the flow, and the code or the passkey's answer. The browser's
 * answer types its extension results as an interface, the server's schema as an open object (`{ [x: string]:
 * unknown }`), which an interface is not assignable to; they are the same JSON (always `{}` here: stripAssertion),
 * copied into a plain object so the server's type holds without a cast.
 */
function withFlow(flow: string, input: SecondFactorInput) {
  return input.method === 'passkey'
    ? {
        flow,
        method: input.method,
        response: { ...input.response, clientExtensionResults: { ...input.response.clientExtensionResults } },
      }
    : { flow, ...input };
}

/** Opened from the reset mail: choose a new password. Every session of the account ends when it is changed. */
@customElement('mcl-reset-password-page')
export class ResetPasswordPage extends LitElement {
  static override styles = [pageStyles, formStyles];
  @state() private result: { ok: boolean; text: string } | undefined;
  @state() private fieldError: string | undefined;
  /** The account's second factor, when it has one: a reset never bypasses it. */
  @state() private second: SecondStep | null | undefined;
  private readonly token = tokenFromHash();

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.token) void this.start(this.token);
  }

  private async start(token: string) {
    try {
      this.second = (await ok(portal.api['password-reset'].start.$post({ json: { token } }))).secondFactor;
    } catch (error) {
      this.result = {
        ok: false,
        text: error instanceof ApiProblem ? error.message : 'That did not work. Please try again.',
      };
    }
  }

  private async save(secondFactor?: SecondFactorInput) {
    const token = this.token;
    if (!token) return; // the form is shown only with a token
    const password = this.renderRoot.querySelector<PasswordField>('mcl-password-field')!.value;
    this.fieldError = undefined;
    try {
      const r = await ok(
        portal.api['password-reset'].confirm.$post({
          json: {
            token,
            password,
            ...(secondFactor && this.second ? { secondFactor: withFlow(this.second.flow, secondFactor) } : {}),
          },
        }),
      );
      this.result = { ok: true, text: r.message };
      history.replaceState(null, '', location.pathname);
    } catch (error) {
      const text = error instanceof ApiProblem ? error.message : 'That did not work. Please try again.';
      if (error instanceof ApiProblem && error.code === 'weak_password') this.fieldError = text;
      else if (secondFactor)
        throw error; // shown by the second-factor form
      else this.result = { ok: false, text };
    }
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    return this.save();
  }

  private readonly secondFactor = (input: SecondFactorInput) => this.save(input);

  override render() {
    if (!this.token)
      return html`<h1>Choose a new password</h1><p class="alert" role="alert">This link is incomplete. Open the link from the email again.</p>`;
    if (this.result?.ok)
      return html`<h1>Choose a new password</h1><p class="success" role="status">${this.result.text}</p><p><a href="/sign-in">Sign in</a></p>`;
    return html`<h1>Choose a new password</h1>
      ${this.result ? html`<p class="alert" role="alert">${this.result.text}</p>` : nothing}
      <form @submit=${this.submit} novalidate>
        <mcl-password-field .error=${this.fieldError}></mcl-password-field>
        ${this.second === undefined ? nothing : this.second ? nothing : html`<button type="submit">Save my new password</button>`}
      </form>
      ${
        this.second
          ? html`<p>Your account has extra protection: confirm it is you to save the new password.</p>
            <mcl-second-factor .step=${this.second} .submit=${this.secondFactor}></mcl-second-factor>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-reset-password-page': ResetPasswordPage;
  }
}
