import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { onSharedComputer, type SessionController } from '../../session/session-controller.js';
import type { KeptDetail } from '../../session/keep-offline-form.js';
import '../../session/keep-offline-form.js';
import { RecordController } from '../../record/record-session.js';
import { offlineUnlockAvailable } from '../../record/offline-unlock.js';
import { offerAnswer, rememberOfferAnswer } from '../../record/unlock-ways.js';
import { deviceWord } from '../../ui/device-word.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';

/**
 * Home's one-time offer ([2/11]): "Keep your record on this phone for when you have no connection". Made to a
 * patient on a device not marked as shared, once the record has been brought up to date at least once, while
 * online (keeping it needs the record's key from the server), when the record cannot yet be opened here without a
 * connection. The passkey way comes first where it can work, then a PIN, and "Not now". The answer is remembered
 * on this device for this account, so the offer is not made again; Account → This device keeps both ways at hand.
 */
@customElement('mcl-keep-offline-offer')
export class KeepOfflineOffer extends LitElement {
  static override styles = [pageStyles, formStyles];
  @property({ attribute: false }) session: SessionController | undefined;
  private readonly record = new RecordController(this);
  @state() private offered = false;
  /** What was said after the person answered (the offer itself is gone). */
  @state() private said: string | undefined;
  private readonly where = deviceWord();

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const session = this.session;
    const account = session?.account;
    if (!session || account?.kind !== 'patient' || session.unlockedOffline || onSharedComputer()) {
      this.offered = false;
      return;
    }
    // Asked when the record opens and again after each sync that finished: the first one makes the offer.
    this.record.update(account, async () => {
      this.offered =
        this.record.session?.lastSyncAt !== undefined &&
        navigator.onLine &&
        offerAnswer(account.id) === undefined &&
        !(await offlineUnlockAvailable());
    });
  }

  private async answered(text: string) {
    this.offered = false;
    this.said = text;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#offer-said')?.focus();
  }

  private notNow() {
    rememberOfferAnswer(this.session!.account!.id, 'not-now');
    void this.answered('You can do this later in Account, under “This device”.');
  }

  private kept(event: CustomEvent<KeptDetail>) {
    rememberOfferAnswer(this.session!.account!.id, 'kept');
    void this.answered(
      event.detail.way === 'pin'
        ? `Done: your record is kept on this ${this.where}. With your PIN it opens even with no connection. After 10 wrong PINs the copy here is deleted.`
        : `Done: your record is kept on this ${this.where}. Your passkey opens it, even with no connection.`,
    );
  }

  override render() {
    if (this.said) return html`<p class="success" role="status" id="offer-said" tabindex="-1">${this.said}</p>`;
    if (!this.offered) return nothing;
    return html`<section class="card" aria-labelledby="offer-title">
      <h2 id="offer-title">Keep your record on this ${this.where} for when you have no connection</h2>
      <p>Then your record opens even with no signal: on a plane, abroad, or when the internet is down. You can write
        to your care team too; it is sent when you are back online.</p>
      <p>It stays locked on this ${this.where}: only your passkey or a PIN you choose opens it.
        <a href="/help">What this protects, and what it does not</a></p>
      <mcl-keep-offline-form .session=${this.session} @kept=${this.kept}></mcl-keep-offline-form>
      <p><button type="button" class="secondary" @click=${this.notNow}>Not now</button></p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-keep-offline-offer': KeepOfflineOffer;
  }
}
