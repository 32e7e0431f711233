import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { Appointment } from 'fhir/r4';
import { clinicContext, type ClinicInfo } from '../../app/clinic-context.js';
import { api, ApiProblem, OFFLINE_MESSAGE } from '../../data/api.js';
import type { Vault } from '../../data/vault.js';
import { downloadFile } from '../../ui/download.js';
import { formStyles } from '../../ui/form-styles.js';
import { RecordPage } from '../records/record-page.js';
import { cancelKey } from '../records/news.js';
import { deviceZone, icsFor, splitVisits, visitDetails, visitTime } from './visit-time.js';

const STATUS: Record<string, string> = { booked: 'Booked', cancelled: 'Cancelled', fulfilled: 'Attended', noshow: 'Missed', arrived: 'Arrived', proposed: 'Requested', pending: 'Waiting for the clinic' };

/**
 * Appointments: upcoming and past visits from the local record (so they read offline), each with its time in the
 * clinic's zone (and the device's when it differs), who, where, what to bring; "Add to calendar" (.ics, offline
 * too); changing or cancelling needs a connection and says so.
 */
@customElement('mcl-appointments-page')
export class AppointmentsPage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles];
  protected readonly heading = 'Appointments';
  @consume({ context: clinicContext, subscribe: true })
  clinic: ClinicInfo | undefined;
  @state() private upcoming: Appointment[] = [];
  @state() private past: Appointment[] = [];
  @state() private cancelling: string | undefined;
  @state() private problem: string | undefined;
  @state() private notice: string | undefined;
  @state() private busy = false;

  protected async load(vault: Vault, patientId: string) {
    const all = await vault.list<Appointment>(patientId, 'Appointment');
    ({ upcoming: this.upcoming, past: this.past } = splitVisits(all));
    // Seen here: a cancellation by the clinic is no longer news on Home.
    await vault.markSeen(patientId, 'Appointment', all.filter((a) => a.status === 'cancelled').map(cancelKey));
  }

  private get zone() {
    return this.clinic?.timeZone ?? deviceZone();
  }

  private calendar(a: Appointment) {
    downloadFile(`appointment-${(a.start ?? '').slice(0, 10)}.ics`, [icsFor(a, this.clinic?.name ?? 'the clinic')], 'text/calendar');
  }

  private async cancel(event: SubmitEvent, a: Appointment) {
    event.preventDefault();
    if (!navigator.onLine) {
      this.problem = OFFLINE_MESSAGE;
      return;
    }
    const reason = String(new FormData(event.target as HTMLFormElement).get('reason') ?? '').trim();
    this.busy = true;
    this.problem = undefined;
    try {
      await api('POST', `/api/appointments/${encodeURIComponent(a.id!)}/cancel`, reason ? { reason } : {});
      this.cancelling = undefined;
      this.notice = `Your ${visitDetails(a).type.toLowerCase()} on ${visitTime(a.start!, this.zone).clinic} is cancelled.`;
      await this.record.session?.sync();
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'The appointment could not be cancelled. Please try again.';
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[role=alert], .success')?.focus();
  }

  private card(a: Appointment, upcoming: boolean) {
    const d = visitDetails(a);
    const t = visitTime(a.start!, this.zone);
    return html`<li class="card">
      <h3>${d.type}${d.who ? html` with ${d.who}` : nothing}</h3>
      <p><strong>${t.clinic}</strong>${t.device ? html`<br />${t.device}` : nothing}</p>
      <p>${[d.department, d.place].filter(Boolean).join(' · ')}${d.address ? html`<br /><span class="meta">${d.address}</span>` : nothing}</p>
      ${upcoming && a.patientInstruction ? html`<p><strong>Before you come:</strong> ${a.patientInstruction}</p>` : nothing}
      <p class="meta">Status: ${a.cancelationReason?.text?.startsWith('Cancelled') ? a.cancelationReason.text : `${STATUS[a.status] ?? a.status}${a.cancelationReason?.text ? ` (${a.cancelationReason.text})` : ''}`}</p>
      ${upcoming
        ? this.cancelling === a.id
          ? html`<form @submit=${(e: SubmitEvent) => this.cancel(e, a)}>
              <div class="field"><label for="reason-${a.id}">Reason (optional)</label>
                <input id="reason-${a.id}" name="reason" type="text" maxlength="300" /></div>
              <p><button type="submit" ?disabled=${this.busy}>Cancel this appointment</button>
                <button type="button" class="secondary" @click=${() => (this.cancelling = undefined)}>Keep it</button></p>
            </form>`
          : html`<p>
              <button type="button" class="secondary" @click=${() => this.calendar(a)} aria-label="Add to calendar: ${d.type} on ${t.clinic}">Add to calendar</button>
              <a class="button" href="/appointments/book?reschedule=${encodeURIComponent(a.id!)}" aria-label="Change the time: ${d.type} on ${t.clinic}">Change the time</a>
              <button type="button" class="secondary" @click=${() => ((this.cancelling = a.id), (this.notice = undefined))} aria-label="Cancel: ${d.type} on ${t.clinic}">Cancel…</button>
            </p>`
        : a.status !== 'cancelled'
          ? html`<p><a href="/records/visits">Visit summaries</a></p>`
          : nothing}
    </li>`;
  }

  protected renderBody() {
    return html`${this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      <p><a class="button" href="/appointments/book">Book a visit</a></p>
      <h2>Upcoming (${this.upcoming.length})</h2>
      ${this.upcoming.length ? html`<ul class="items">${this.upcoming.map((a) => this.card(a, true))}</ul>` : html`<p>No upcoming appointments.</p>`}
      <h2>Past and cancelled (${this.past.length})</h2>
      ${this.past.length ? html`<ul class="items">${this.past.slice(0, 50).map((a) => this.card(a, false))}</ul>` : html`<p>None.</p>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-appointments-page': AppointmentsPage;
  }
}
