import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { onSharedComputer, SHARED_NOTICE, type SessionController } from '../../session/session-controller.js';
import { offlineUnlockAvailable, turnOffOfflineUnlock } from '../../record/offline-unlock.js';
import type { KeptDetail } from '../../session/keep-offline-form.js';
import '../../session/keep-offline-form.js';
import { canInstall, install, INSTALL_CHANGE, isInstalled } from '../../ui/install-prompt.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';

/** "12.4 MB" for people. */
export function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * This device: how much space the app and the encrypted record use here, whether the browser has agreed to keep
 * them when space runs low (`navigator.storage.persist()`, asked for only when the person chooses), keeping the
 * record for offline use with this device's passkey or a PIN ([8/8]; the form Home's one-time offer shows too), and installing the app where the browser offers it. On a computer marked as shared nothing is kept, so nothing is offered.
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

  /** Kept for offline use (with the passkey or a PIN): said, and what the browser answered about keeping storage. */
  private kept(event: CustomEvent<KeptDetail>) {
    this.offline = true;
    this.persisted = event.detail.persisted ?? this.persisted;
    this.notice =
      event.detail.way === 'pin'
        ? 'Done: with this PIN you can open your record on this device without a connection. After 10 wrong PINs the copy here is deleted.'
        : 'Done: your passkey opens your record on this device, also without a connection.';
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
            ? html`<p>Your record can be opened on this device without a connection, with your passkey or PIN.</p>
              <p><button type="button" class="secondary" @click=${() => void this.stopOffline()}>Stop keeping it for offline use</button></p>`
            : html`<section aria-labelledby="offline-title">
              <h3 id="offline-title">Keep my record on this device for offline use</h3>
              <p class="hint">For travel: read your record and write messages with no connection. Do not use this on a computer others use.</p>
              <mcl-keep-offline-form .session=${this.session} @kept=${this.kept}></mcl-keep-offline-form>
            </section>`
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
