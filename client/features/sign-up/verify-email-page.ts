import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ok, portal } from '../../data/portal.js';
import { ConfirmLinkPage } from '../../ui/confirm-link-page.js';

/** Opened from the verification mail: confirms the email address and finishes creating the account. */
@customElement('mcl-verify-email-page')
export class VerifyEmailPage extends ConfirmLinkPage {
  protected texts = {
    confirm: (token: string) => ok(portal.api.signup.confirm.$post({ json: { token } })),
    title: 'Confirm your email',
    intro: 'Press the button to confirm your email address and finish creating your account.',
    button: 'Finish creating my account',
    next: html`<p><a href="/sign-in">Sign in now</a></p>`,
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-verify-email-page': VerifyEmailPage;
  }
}
