import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SignedInAccount } from '../../app/session-controller.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { recordStyles } from './record-page.js';
import { RecordController } from './record-session.js';
import { summarize, type Summary } from './records-page.js';
import { formatDate } from './fhir-display.js';

/**
 * Home, signed in: new results since the last look, how many medications are current, and when the record was
 * last brought up to date; with the first download's progress while it runs. Reads the local record only.
 */
@customElement('mcl-dashboard')
export class Dashboard extends LitElement {
  static override styles = [pageStyles, recordStyles];
  @property({ attribute: false }) account: SignedInAccount | undefined;
  private readonly record = new RecordController(this);
  @state() private summary: Summary | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.record.update(this.account, (vault, patientId) => summarize(vault, patientId).then((s) => (this.summary = s)));
  }

  override render() {
    const rs = this.record.session;
    const p = rs?.progress;
    const s = this.summary;
    return html`<section class="card" aria-labelledby="dash-title">
      <h2 id="dash-title">Your health record</h2>
      ${rs?.syncing && p?.first && p.total > 0
        ? html`<p role="status">Downloading your record: ${p.done} of ${p.total}</p>`
        : html`<p role="status" class="meta">${rs?.problem ?? ''} ${rs?.lastSyncAt ? `Up to date as of ${formatDate(rs.lastSyncAt, true)}.` : 'Getting your record…'}</p>`}
      ${s
        ? html`<ul class="items">
            <li><a href="/records/results">Test results</a>: ${s.newResults ? html`<span class="new">${s.newResults} new</span>` : 'nothing new'}</li>
            <li><a href="/records/medications">Medications</a>: ${s.activeMedications} current</li>
            <li><a href="/records/visits">Visits</a>: ${s.counts.Encounter ?? 0}</li>
          </ul>
          <p><a href="/records">Everything in your record</a></p>`
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-dashboard': Dashboard;
  }
}
