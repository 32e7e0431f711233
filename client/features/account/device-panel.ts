import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  onSharedComputer,
  SHARED_NOTICE,
  type OfflineSecret,
  type SessionController,
} from '../../session/session-controller.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal } from '../../data/portal.js';
import {
  offlineUnlockAvailable,
  pinProblem,
  saveOfflineUnlock,
  turnOffOfflineUnlock,
} from '../../record/offline-unlock.js';
import { canInstall, install, INSTALL_CHANGE, isInstalled } from '../../ui/install-prompt.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';

/** "12.4 MB" for people. */
export function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The key that unwraps this account's local record (GET /api/records/vault-key). The server's answer types it as
 * possibly null (it reads the column back after making it at first use): no key must ever be sealed on the device.
 */
async function vaultKey(): Promise<string> {
  const { key } = await ok(portal.api.records['vault-key'].$get());
  if (!key) throw new Error('The portal did not send the key to your record. Please try again.');
  return key;
}

/**
 * This device: how much space the app and the encrypted record use here, whether the browser has agreed to keep
 * them when space runs low (`navigator.storage.persist()`, asked for only when the person chooses), keeping the
 * record for offline use behind a device PIN ([8/8]), and installing the app where the browser offers it. On a computer marked as shared nothing is kept, so nothing is offered.
 */
@customElement('mcl-device-panel')
export class DevicePanel extends LitElement {
  static override styles = [pageStyles, formStyles];
  @state() private usage: number | undefined;
  @state() private persisted: boolean | undefined;
  @state() private notice: string | undefined;
  @state() private installable = canInstall();
  @property({ attribute: false }) session: SessionController | undefined;
  @state() private offline: boolean | undefined;
  @state() private problem: string | undefined;
  @state() private busy = false;
  private readonly onInstall = () => (this.installable = canInstall());

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener(INSTALL_CHANGE, this.onInstall);
    void this.measure();
  }

  override disconnectedCallback(): void {
    removeEventListener(INSTALL_CHANGE, this.onInstall);
    super.disconnectedCallback();
  }

  private async measure() {
    if (!navigator.storage?.estimate) return;
    this.usage = (await navigator.storage.estimate()).usage ?? 0;
    this.persisted = await navigator.storage.persisted();
    this.offline = await offlineUnlockAvailable();
  }

  /** "Keep my record on this device for offline use": the record's key, sealed under a PIN only the person knows. */
  private async keepOffline(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const pin = String(data.get('pin') ?? '');
    this.problem =
      pinProblem(pin) ?? (pin !== String(data.get('pin2') ?? '') ? 'The two PINs are not the same.' : undefined);
    const account = this.session?.account;
    if (this.problem || !account) return;
    this.busy = true;
    try {
      const key = await vaultKey();
      const secret: OfflineSecret = { kek: key, account, idleSeconds: this.session?.info?.idleSeconds ?? 900 };
      await saveOfflineUnlock(secret, pin);
      form.reset();
      this.offline = true;
      this.persisted = (await navigator.storage.persist?.()) ?? this.persisted;
      this.notice =
        'Done: with this PIN you can open your record on this device without a connection. After 10 wrong PINs the copy here is deleted.';
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'That did not work. Please try again.';
    } finally {
      this.busy = false;
    }
  }

  /** The same, sealed under this device's passkey (WebAuthn PRF): no PIN to remember. */
  private async keepWithPasskey() {
    const account = this.session?.account;
    if (!account) return;
    this.busy = true;
    this.problem = undefined;
    try {
      const key = await vaultKey();
      const { savePasskeyUnlock } = await import('../../record/passkey-unlock.js');
      await savePasskeyUnlock<OfflineSecret>({
        kek: key,
        account,
        idleSeconds: this.session?.info?.idleSeconds ?? 900,
      });
      this.offline = true;
      this.persisted = (await navigator.storage.persist?.()) ?? this.persisted;
      this.notice = 'Done: your passkey opens your record on this device, also without a connection.';
    } catch (error) {
      this.problem =
        error instanceof ApiProblem
          ? error.message
          : error instanceof Error && error.name === 'NotAllowedError'
            ? 'The passkey was not used. You can try again, or choose a PIN below.'
            : error instanceof Error
              ? error.message
              : 'That did not work.';
    } finally {
      this.busy = false;
    }
  }

  private async stopOffline() {
    await turnOffOfflineUnlock();
    this.offline = false;
    this.notice = 'Your record can no longer be opened here without a connection.';
  }

  private async keep() {
    const granted = await navigator.storage.persist();
    this.persisted = granted;
    this.notice = granted
      ? 'Done: your browser will keep your record on this device, even when space runs low.'
      : 'Your browser did not agree this time. It may remove the copy if space runs very low; the record then downloads again when you are online. Installing the app usually helps.';
  }

  private async installApp() {
    this.notice = (await install()) ? 'The app is installed: open it from your home screen or app list.' : undefined;
    this.installable = canInstall();
  }

  override render() {
    if (onSharedComputer()) return html`<p>${SHARED_NOTICE}</p>`;
    return html`${this.usage !== undefined ? html`<p>The app and your encrypted record use about <strong>${megabytes(this.usage)}</strong> on this device.</p>` : nothing}
      ${
        this.persisted === true
          ? html`<p>Your browser keeps them even when space runs low.</p>`
          : this.persisted === false
            ? html`<p>Your browser may remove them if space runs very low.</p>
              <p><button type="button" class="secondary" @click=${() => void this.keep()}>Keep my record on this device</button></p>`
            : nothing
      }
      ${
        this.session?.account?.kind === 'patient' && this.offline !== undefined
          ? this.offline
            ? html`<p>Your record can be opened on this device without a connection, with your PIN.</p>
              <p><button type="button" class="secondary" @click=${() => void this.stopOffline()}>Stop keeping it for offline use</button></p>`
            : html`<form @submit=${this.keepOffline} aria-labelledby="offline-title">
              <h3 id="offline-title">Keep my record on this device for offline use</h3>
              <p class="hint">For travel: read your record and write messages with no connection. Open it with this device's passkey, or with a PIN of 6 or more digits. Do not use this on a computer others use.</p>
              ${this.problem ? html`<p class="alert" role="alert">${this.problem}</p>` : nothing}
              ${'PublicKeyCredential' in window ? html`<p><button type="button" class="secondary" ?disabled=${this.busy} @click=${() => void this.keepWithPasskey()}>Use my passkey on this device</button></p><p>Or choose a PIN:</p>` : nothing}
              <div class="field"><label for="pin">New PIN for this device</label>
                <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="new-password" required minlength="6" maxlength="12" /></div>
              <div class="field"><label for="pin2">The same PIN again</label>
                <input id="pin2" name="pin2" type="password" inputmode="numeric" autocomplete="new-password" required minlength="6" maxlength="12" /></div>
              <button type="submit" ?disabled=${this.busy}>Keep my record for offline use</button>
            </form>`
          : nothing
      }
      ${isInstalled() ? html`<p>The app is installed on this device.</p>` : this.installable ? html`<p><button type="button" class="secondary" @click=${() => void this.installApp()}>Install the app</button></p>` : nothing}
      ${this.notice ? html`<p class="success" role="status">${this.notice}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-device-panel': DevicePanel;
  }
}
