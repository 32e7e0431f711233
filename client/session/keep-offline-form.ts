import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiProblem } from '../data/api.js';
import { saveOfflineUnlock } from '../record/offline-unlock.js';
import { newPinProblem, passkeyCanKeep, vaultKey } from '../record/keep-offline.js';
import { formStyles } from '../ui/form-styles.js';
import { pageStyles } from '../ui/shared-styles.js';
import type { OfflineSecret, SessionController } from './session-controller.js';

/** How the record was kept: `kept`'s detail. */
export interface KeptDetail {
  way: 'passkey' | 'pin';
  /** Whether the browser agreed to keep the site's storage when space runs low (asked after keeping). */
  persisted: boolean | undefined;
}

/**
 * Keeping the record on this device for use with no connection ([8/8]), as Account → This device and Home's
 * one-time offer ([2/11]) both ask it: this device's passkey first, where the browser and one of the account's
 * passkeys can give a PRF output (no PIN to remember), then a PIN of 6 to 12 digits, typed twice. What is sealed is
 * the record's key (from the server), whose record it is and the idle limit to keep; never the PIN or a PRF output.
 *
 * @fires kept - The record now opens here without a connection (detail: KeptDetail).
 */
@customElement('mcl-keep-offline-form')
export class KeepOfflineForm extends LitElement {
  static override styles = [pageStyles, formStyles];
  @property({ attribute: false }) session: SessionController | undefined;
  /** The passkey way is offered (asked once connected; the PIN form shows meanwhile). */
  @state() private passkey = false;
  @state() private problem: string | undefined;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void passkeyCanKeep().then((can) => (this.passkey = can));
  }

  private secret(kek: string): OfflineSecret | undefined {
    const account = this.session?.account;
    return account && { kek, account, idleSeconds: this.session?.info?.idleSeconds ?? 900 };
  }

  /** Runs one way of keeping: busy meanwhile, a sentence (focused) when it fails, `kept` when it worked. */
  private async keep(way: KeptDetail['way'], seal: (secret: OfflineSecret) => Promise<void>) {
    this.busy = true;
    this.problem = undefined;
    try {
      const secret = this.secret(await vaultKey());
      if (!secret) return;
      await seal(secret);
      const persisted = await navigator.storage?.persist?.();
      this.dispatchEvent(
        new CustomEvent<KeptDetail>('kept', { detail: { way, persisted }, bubbles: true, composed: true }),
      );
    } catch (error) {
      this.problem =
        error instanceof ApiProblem
          ? error.message
          : error instanceof Error && error.name === 'NotAllowedError'
            ? 'The passkey was not used. You can try again, or choose a PIN below.'
            : error instanceof Error
              ? error.message
              : 'That did not work. Please try again.';
    } finally {
      this.busy = false;
    }
    if (this.problem) await this.showProblem();
  }

  private async showProblem() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#keep-problem')?.focus();
  }

  private async withPin(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const pin = String(data.get('pin') ?? '');
    this.problem = newPinProblem(pin, String(data.get('pin2') ?? ''));
    if (this.problem) {
      await this.showProblem();
      return;
    }
    await this.keep('pin', (secret) => saveOfflineUnlock(secret, pin));
    if (!this.problem) form.reset();
  }

  private async withPasskey() {
    const { savePasskeyUnlock } = await import('../record/passkey-unlock.js');
    await this.keep('passkey', (secret) => savePasskeyUnlock(secret));
  }

  override render() {
    return html`${this.problem ? html`<p class="alert" role="alert" id="keep-problem" tabindex="-1">${this.problem}</p>` : nothing}
      ${
        this.passkey
          ? html`<p><button type="button" ?disabled=${this.busy} @click=${() => void this.withPasskey()}>Use my passkey on this device</button></p>
            <p class="hint">Your fingerprint, face or screen lock then opens your record: nothing to remember.</p>`
          : nothing
      }
      <form @submit=${this.withPin} aria-labelledby="pin-title" novalidate>
        <p id="pin-title">${this.passkey ? 'Or choose a PIN of 6 to 12 digits:' : 'Choose a PIN of 6 to 12 digits:'}</p>
        <div class="field"><label for="pin">New PIN for this device</label>
          <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="new-password" required minlength="6" maxlength="12" /></div>
        <div class="field"><label for="pin2">The same PIN again</label>
          <input id="pin2" name="pin2" type="password" inputmode="numeric" autocomplete="new-password" required minlength="6" maxlength="12" /></div>
        <button type="submit" class=${this.passkey ? 'secondary' : ''} ?disabled=${this.busy}>${this.busy ? 'Locking your record…' : 'Keep my record with this PIN'}</button>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-keep-offline-form': KeepOfflineForm;
  }
}
