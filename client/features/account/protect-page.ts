import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { sessionContext } from '../../session/session-context.js';
import { SessionWatch } from '../../session/session-watch.js';
import { onSharedComputer, type SessionController } from '../../session/session-controller.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal } from '../../data/portal.js';
import { navigate } from '../../session/navigate.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { createPasskey, passkeyAssertion, passkeyProblem, supportsPasskeys } from '../../session/passkeys.js';
import { deviceName } from './device-name.js';
import './recovery-codes.js';

/**
 * After signing in without a passkey or second factor: "protect your account". Patients may add a passkey here
 * in one step, choose an authenticator app (Account → Security), or skip for now. Staff must add a passkey and
 * confirm with it before anything else opens to them.
 */
@customElement('mcl-protect-page')
export class ProtectPage extends LitElement {
  static override styles = [pageStyles];
  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;
  protected readonly sessionWatch = new SessionWatch(this);
  @state() private problem: string | undefined;
  @state() private busy = false;
  @state() private codes: string[] | undefined;

  private get staff() {
    return this.session?.account?.kind === 'staff';
  }

  /**
   * Once protected, a patient with a record of their own is offered the last, optional set-up step: adding a
   * caregiver (features/caregivers/add-caregiver-page.ts). Others go Home.
   */
  private next() {
    navigate(this, this.session?.account?.patientId ? '/account/add-caregiver' : '/');
  }

  private async addPasskey() {
    this.busy = true;
    this.problem = undefined;
    try {
      const answer = await createPasskey(deviceName(navigator.userAgent));
      if (this.staff) {
        // Staff confirm with the new passkey: this session becomes a passkey session.
        const response = await passkeyAssertion(() => ok(portal.api.session.reauth['passkey-options'].$post()));
        this.session?.accept(await ok(portal.api.session.reauth.passkey.$post({ json: { response } })));
        navigate(this, '/');
        return;
      }
      await this.session?.refresh();
      if ('recoveryCodes' in answer) this.codes = answer.recoveryCodes;
      else this.next();
    } catch (error) {
      this.problem =
        error instanceof ApiProblem && error.code === 'reauth_required'
          ? 'Your sign-in is more than five minutes old. Please add the passkey from Account → Security, where we can confirm it is you.'
          : passkeyProblem(error);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.alert')?.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    if (!this.session?.account)
      return html`<h1>Protect your account</h1><p>Please <a href="/sign-in">sign in</a> first.</p>`;
    if (this.codes) {
      return html`<h1>Your passkey is ready</h1>
        <p role="status">Next time, choose "Sign in with a passkey".</p>
        <mcl-recovery-codes .codes=${this.codes} @saved=${() => this.next()}></mcl-recovery-codes>`;
    }
    return html`<h1>Protect your account</h1>
      ${this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem}</p>` : nothing}
      ${
        this.staff
          ? html`<p>Staff accounts must sign in with a passkey: it cannot be guessed or phished, which keeps patients' records safe.
            Add one now with this device's fingerprint, face or screen lock, or a security key.</p>`
          : html`<p>Your account holds your health records. A password alone can be guessed or stolen. Add a passkey: you sign in with
            your fingerprint, face or phone screen lock, and nobody can trick you out of it.</p>`
      }
      ${
        onSharedComputer()
          ? html`<p>You are on a shared computer, so no passkey is added here. Add one later on your own phone or computer, in Account → Security.</p>`
          : supportsPasskeys()
            ? html`<p><button type="button" ?disabled=${this.busy} @click=${this.addPasskey}>${this.busy ? 'Waiting for your device…' : 'Add a passkey'}</button></p>`
            : html`<p>This browser cannot make passkeys. ${this.staff ? 'Please use a browser that can, such as a current Chrome, Edge, Safari or Firefox.' : ''}</p>`
      }
      ${
        this.staff
          ? nothing
          : html`<p><a href="/account/security#app">Use an authenticator app instead</a></p>
            <p><a href="/">Skip for now</a> (you can do this later in Account → Security).</p>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-protect-page': ProtectPage;
  }
}
