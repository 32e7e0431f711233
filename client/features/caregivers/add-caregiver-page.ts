import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { sessionContext } from '../../session/session-context.js';
import { SessionWatch } from '../../session/session-watch.js';
import type { SessionController } from '../../session/session-controller.js';
import { navigate } from '../../session/navigate.js';
import { pageStyles } from '../../ui/shared-styles.js';
import type { InvitedDetail } from './invite-form.js';
import './invite-form.js';

/**
 * The optional last step of setting up an account ([3/11]), after the patient has protected it: "Add a
 * caregiver", with the invitation form and "Skip this step". Either way it goes on to Home. Later it is done in
 * Account → Sharing.
 */
@customElement('mcl-add-caregiver-page')
export class AddCaregiverPage extends LitElement {
  static override styles = [pageStyles];
  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;
  protected readonly sessionWatch = new SessionWatch(this);
  @state() private sent: string | undefined;

  private async invited(detail: InvitedDetail) {
    this.sent = detail.message;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.success')?.focus();
  }

  override render() {
    if (!this.session?.account)
      return html`<h1>Add a caregiver (optional)</h1><p>Please <a href="/sign-in">sign in</a> first.</p>`;
    if (this.sent)
      return html`<h1>Add a caregiver (optional)</h1>
        <p class="success" role="status" tabindex="-1">${this.sent}</p>
        <p>You can see them, change what they may do or end it at any time in Account → Sharing.</p>
        <p><button type="button" @click=${() => navigate(this, '/')}>Continue</button></p>`;
    return html`<h1>Add a caregiver (optional)</h1>
      <p>Does someone help you with your health, such as a family member? You can let them use the portal for you,
        with their own account. You choose what they may do, and you can end it at any time.</p>
      <p><button type="button" class="secondary" @click=${() => navigate(this, '/')}>Skip this step</button>
        (you can do this later in Account → Sharing)</p>
      <h2>Invite someone</h2>
      <mcl-invite-form .session=${this.session}
        @invited=${(ev: CustomEvent<InvitedDetail>) => void this.invited(ev.detail)}></mcl-invite-form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-add-caregiver-page': AddCaregiverPage;
  }
}
