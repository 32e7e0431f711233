import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { onSharedComputer } from '../../app/session-controller.js';
import { canInstall, install, INSTALL_CHANGE, isInstalled } from '../../app/install-prompt.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';

/** "12.4 MB" for people. */
export function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * This device: how much space the app and the encrypted record use here, whether the browser has agreed to keep
 * them when space runs low (`navigator.storage.persist()`, asked for only when the person chooses), and installing
 * the app where the browser offers it. On a computer marked as shared nothing is kept, so nothing is offered.
 */
@customElement('mcl-device-panel')
export class DevicePanel extends LitElement {
  static override styles = [pageStyles, formStyles];
  @state() private usage: number | undefined;
  @state() private persisted: boolean | undefined;
  @state() private notice: string | undefined;
  @state() private installable = canInstall();
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
    if (onSharedComputer()) return html`<p>You marked this computer as shared: nothing about you is kept on it after you sign out.</p>`;
    return html`${this.usage !== undefined ? html`<p>The app and your encrypted record use about <strong>${megabytes(this.usage)}</strong> on this device.</p>` : nothing}
      ${this.persisted === true
        ? html`<p>Your browser keeps them even when space runs low.</p>`
        : this.persisted === false
          ? html`<p>Your browser may remove them if space runs very low.</p>
              <p><button type="button" class="secondary" @click=${() => void this.keep()}>Keep my record on this device</button></p>`
          : nothing}
      ${isInstalled() ? html`<p>The app is installed on this device.</p>` : this.installable ? html`<p><button type="button" class="secondary" @click=${() => void this.installApp()}>Install the app</button></p>` : nothing}
      ${this.notice ? html`<p class="success" role="status">${this.notice}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-device-panel': DevicePanel;
  }
}
