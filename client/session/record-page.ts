import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { sessionContext } from './session-context.js';
import { SessionWatch } from './session-watch.js';
import type { SessionController } from './session-controller.js';
import { pageStyles } from '../ui/shared-styles.js';
import type { Vault } from '../record/vault.js';
import { RecordController } from '../record/record-session.js';
import { formatDate } from '../record/fhir-display.js';

/** Styles every record view shares: readable lists and tables that fit a phone. */
export const recordStyles = css`
  ul.items { list-style: none; padding: 0; margin: 0; }
  ul.items > li { margin: 0 0 0.75rem; }
  .meta { color: #4a5560; font-size: 0.95rem; }
  .flag { display: inline-block; font-weight: 700; padding: 0 0.4rem; border-radius: 4px; border: 2px solid currentColor; }
  .flag.high, .flag.critical-high { color: #8a1c1c; }
  .flag.low, .flag.critical-low { color: #1d4f91; }
  .flag.abnormal { color: #7a4b00; }
  .new { display: inline-block; font-weight: 700; color: #fff; background: #0b5d66; padding: 0 0.4rem; border-radius: 4px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 0.4rem 0.75rem 0.4rem 0; border-bottom: 1px solid var(--mcl-border, #c9d2d6); vertical-align: top; }
  .status { margin: 0 0 1rem; }
  pre.note { white-space: pre-wrap; font: inherit; background: #f4f7f8; padding: 0.75rem; border-radius: 6px; max-height: 30rem; overflow: auto; }
  @media (max-width: 40rem) { th, td { padding-right: 0.4rem; } }
`;

/** Said when the browser had removed this device's copy of the record (storage eviction) and it comes back. */
export function lostCopyNotice(rs: { lostCopy: boolean; syncing: boolean }) {
  if (!rs.lostCopy) return nothing;
  return html`<strong>Your browser removed the copy of your record from this device to free space.</strong>
    ${rs.syncing ? 'It is being downloaded again.' : navigator.onLine ? 'It has been downloaded again.' : 'It will be downloaded again when you are back online.'} `;
}

/** "Show older …" under a long list: how many more there are, and a button that shows the next page of them. */
export function showMore(total: number, shown: number, what: string, more: () => void) {
  return total > shown
    ? html`<button type="button" class="secondary" @click=${more}>Show older ${what} (${total - shown} more)</button>`
    : nothing;
}

/**
 * A page that shows part of the local record. It reads only the local database (through the record session's
 * vault), so it behaves the same online and offline. It reads again whenever the record changes, whoever changed
 * it (a sync, the outbox sending, another tab): a live query watches the record (`changes`); during a sync it
 * waits for the sync to finish, then reads once.
 */
export abstract class RecordPage extends LitElement {
  static override styles = [pageStyles, recordStyles];

  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;
  protected readonly sessionWatch = new SessionWatch(this);
  /** Live: each change to the record (Vault.changes) makes the page read again. */
  protected readonly record = new RecordController(this, { live: true });
  @state() protected loaded = false;

  protected abstract readonly heading: string;
  /** Reads what the page shows from the vault. */
  protected abstract load(vault: Vault, patientId: string): Promise<void>;
  protected abstract renderBody(): TemplateResult | typeof nothing;

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.record.update(this.session?.account, (vault, patientId) =>
      this.load(vault, patientId).then(() => (this.loaded = true)),
    );
  }

  protected renderStatus() {
    const rs = this.record.session;
    if (!rs) return nothing;
    const p = rs.progress;
    if (rs.syncing && p?.first && p.total > 0) {
      return html`<p class="status" role="status">Downloading your record: ${p.done} of ${p.total}
        <progress max=${p.total} value=${p.done} aria-hidden="true"></progress></p>`;
    }
    return html`<p class="status meta" role="status">
      ${lostCopyNotice(rs)}
      ${rs.problem ? html`${rs.problem} ` : nothing}
      ${rs.lastSyncAt ? html`Up to date as of ${formatDate(rs.lastSyncAt, true)}.` : rs.syncing ? 'Getting your record…' : 'Not downloaded yet.'}
      ${rs.syncing && rs.lastSyncAt ? ' Checking for anything new…' : nothing}</p>`;
  }

  override render() {
    if (!this.session?.account) {
      return html`<h1>${this.heading}</h1><p>Please <a href="/sign-in">sign in</a> to see your health record.</p>`;
    }
    return html`<h1>${this.heading}</h1>${this.renderStatus()}
      ${this.loaded ? this.renderBody() : html`<p>Opening your record…</p>`}`;
  }
}
