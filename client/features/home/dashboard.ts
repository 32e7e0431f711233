import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SignedInAccount } from '../../session/session-controller.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { lostCopyNotice, recordStyles } from '../../session/record-page.js';
import { RecordController } from '../../record/record-session.js';
import { summarize, type Summary } from '../../record/summary.js';
import { formatDate } from '../../record/fhir-display.js';
import { news, type NewsItem } from '../../record/news.js';
import type { Appointment } from 'fhir/r4';
import { consume } from '@lit/context';
import { clinicContext, type ClinicInfo } from '../../session/clinic-context.js';
import { deviceZone, splitVisits, visitDetails, visitTime } from '../../record/visit-time.js';

/**
 * Home, signed in: what is new from the care team (replies, refill decisions), new results since the last look, how many medications are current, and when the record was
 * last brought up to date; with the first download's progress while it runs. Reads the local record only.
 */
@customElement('mcl-dashboard')
export class Dashboard extends LitElement {
  static override styles = [pageStyles, recordStyles];
  @property({ attribute: false }) account: SignedInAccount | undefined;
  /** Live: Home reads again when the record changes (a reply synced, read here or on another device), whoever wrote it. */
  private readonly record = new RecordController(this, { live: true });
  @state() private summary: Summary | undefined;
  @state() private news: { unreadMessages: number; items: NewsItem[] } | undefined;
  @state() private visits: Appointment[] = [];
  @consume({ context: clinicContext, subscribe: true })
  clinic: ClinicInfo | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Each part is shown as soon as it is read (the record at a glance first), not when the slowest is done.
    this.record.update(this.account, (vault, patientId) =>
      Promise.all([
        summarize(vault, patientId).then((summary) => (this.summary = summary)),
        news(vault, patientId, this.clinic?.timeZone ?? deviceZone()).then((n) => (this.news = n)),
        vault
          .list<Appointment>(patientId, 'Appointment')
          .then((all) => (this.visits = splitVisits(all).upcoming.slice(0, 3))),
      ]),
    );
  }

  override render() {
    const rs = this.record.session;
    const p = rs?.progress;
    const s = this.summary;
    const n = this.news;
    return html`${
      n?.items.length
        ? html`<section class="card" aria-labelledby="news-title">
            <h2 id="news-title">New for you</h2>
            <ul class="items">${n.items.map((i) => html`<li><a href=${i.href}>${i.text}</a></li>`)}</ul>
          </section>`
        : nothing
    }
      <section class="card" aria-labelledby="visits-title">
        <h2 id="visits-title">Upcoming appointments</h2>
        ${
          this.visits.length
            ? html`<ul class="items">${this.visits.map((a) => {
                const t = visitTime(a.start!, this.clinic?.timeZone ?? deviceZone());
                const d = visitDetails(a);
                return html`<li>${t.clinic}${t.device ? html` <span class="meta">(${t.device})</span>` : nothing}: ${d.type}${d.who ? ` with ${d.who}` : ''}, ${d.place ?? ''}</li>`;
              })}</ul>`
            : html`<p>None booked.</p>`
        }
        <p><a href="/appointments">Your appointments</a> · <a href="/appointments/book">Book a visit</a></p>
      </section>
      <section class="card" aria-labelledby="dash-title">
      <h2 id="dash-title">Your health record</h2>
      ${
        rs?.syncing && p?.first && p.total > 0
          ? html`<p role="status">Downloading your record: ${p.done} of ${p.total}</p>`
          : html`<p role="status" class="meta">${rs ? lostCopyNotice(rs) : nothing}${rs?.problem ?? ''} ${rs?.lastSyncAt ? `Up to date as of ${formatDate(rs.lastSyncAt, true)}.` : 'Getting your record…'}</p>`
      }
      ${
        s
          ? html`<ul class="items">
            <li><a href="/records/results">Test results</a>: ${s.newResults ? html`<span class="new">${s.newResults} new</span>` : 'nothing new'}</li>
            <li><a href="/messages">Messages</a>: ${n?.unreadMessages ? html`<span class="new">${n.unreadMessages} unread ${n.unreadMessages === 1 ? 'reply' : 'replies'}</span>` : 'nothing unread'}</li>
            <li><a href="/records/medications">Medications</a>: ${s.activeMedications} current</li>
            <li><a href="/records/visits">Visits</a>: ${s.counts.Encounter ?? 0}</li>
          </ul>
          <p><a href="/records">Everything in your record</a></p>`
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-dashboard': Dashboard;
  }
}
