import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ok, portal } from '../../data/portal.js';
import { ConfirmLinkPage } from '../../ui/confirm-link-page.js';

/** Opened from the mail sent to a new email address (Account → Security → change email address). */
@customElement('mcl-confirm-email-page')
export class ConfirmEmailPage extends ConfirmLinkPage {
  protected texts = {
    confirm: (token: string) => ok(portal.api.account.email.confirm.$post({ json: { token } })),
    title: 'Confirm your new email address',
    intro: 'Press the button to start using this email address for your portal account.',
    button: 'Use this email address',
    next: html`<p><a href="/">Go to the portal</a></p>`,
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-confirm-email-page': ConfirmEmailPage;
  }
}
