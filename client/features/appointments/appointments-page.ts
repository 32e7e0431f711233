import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { Appointment, Encounter } from 'fhir/r4';
import { clinicContext, type ClinicInfo } from '../../session/clinic-context.js';
import { ApiProblem, OFFLINE_MESSAGE } from '../../data/api.js';
import { ok, portal } from '../../data/portal.js';
import type { OutboxItem, Vault } from '../../record/vault.js';
import { navigate } from '../../session/navigate.js';
import { draftKey } from '../../record/draft-keeper.js';
import { OutboxWatch, outboxList } from '../../record/outbox-view.js';
import { REQUEST_PAGE } from './request-page.js';
import { downloadFile } from '../../ui/download.js';
import { formStyles } from '../../ui/form-styles.js';
import { RecordPage, showMore } from '../../session/record-page.js';
import { cancelKey } from '../../record/news.js';
import { conceptText } from '../../record/fhir-display.js';
import { telHref } from '../../ui/tel-href.js';
import { changeWindow, deadlineText } from '../../record/visit-rules.js';
import {
  deviceZone,
  icsFor,
  pastVisits,
  requestedDays,
  splitVisits,
  visitDay,
  visitDetails,
  visitTime,
  type PastVisit,
} from '../../record/visit-time.js';

const STATUS: Record<string, string> = {
  booked: 'Booked',
  cancelled: 'Cancelled',
  fulfilled: 'Attended',
  noshow: 'Missed',
  arrived: 'Arrived',
  proposed: 'Requested',
  pending: 'Waiting for the clinic',
};

/**
 * Appointments: upcoming and past visits from the local record (so they read offline), each with its time in the
 * clinic's zone (and the device's when it differs), who, where, what to bring; "Add to calendar" (.ics, offline
 * too). Each upcoming visit says up front until when it can be changed or cancelled online (the clinic's cut-off)
 * and whom to call after that; past it, there are no buttons to change it, only the number. Changing or
 * cancelling needs a connection and says so. Past holds the portal's past visits and the record's own (Encounters).
 */
@customElement('mcl-appointments-page')
export class AppointmentsPage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles];
  protected override readonly scope = 'appointments' as const;
  protected readonly heading = 'Appointments';
  @consume({ context: clinicContext, subscribe: true })
  clinic: ClinicInfo | undefined;
  @state() private upcoming: Appointment[] = [];
  @state() private past: PastVisit[] = [];
  @state() private cancelled: Appointment[] = [];
  @state() private shownPast = 20;
  /** Requests the clinic has, not yet answered (proposed Appointments in the record). */
  @state() private requests: Appointment[] = [];
  /** Requests still in the outbox (written offline, or being sent). */
  @state() private outbox: OutboxItem[] = [];
  private vault: Vault | undefined;
  private patientId = '';
  protected readonly outboxWatch = new OutboxWatch(
    this,
    () => this.vault && Promise.all([this.load(this.vault, this.patientId), this.record.session?.sync()]),
  );
  @state() private cancelling: string | undefined;
  @state() private problem: string | undefined;
  @state() private notice: string | undefined;
  @state() private busy = false;

  protected async load(vault: Vault, patientId: string) {
    this.vault = vault;
    this.patientId = patientId;
    const all = await vault.list<Appointment>(patientId, 'Appointment');
    const split = splitVisits(all);
    ({ upcoming: this.upcoming, requests: this.requests, cancelled: this.cancelled } = split);
    this.past = pastVisits(split.past, await vault.list<Encounter>(patientId, 'Encounter'));
    // A sent request is done once the clinic's copy of it is in the local record.
    const known = new Set(all.map((a) => a.id));
    const mine = (await vault.outboxItems()).filter((i) => i.kind === 'appointment');
    for (const item of mine)
      if (
        item.state === 'sent' &&
        known.has((item.response as { appointment?: { id?: string } } | undefined)?.appointment?.id)
      )
        await vault.deleteOutbox(item.id);
    this.outbox = (await vault.outboxItems()).filter((i) => i.kind === 'appointment');
    // Seen here: a cancellation by the clinic is no longer news on Home.
    await vault.markSeen(patientId, 'Appointment', all.filter((a) => a.status === 'cancelled').map(cancelKey));
  }

  private get zone() {
    return this.clinic?.timeZone ?? deviceZone();
  }

  private calendar(a: Appointment) {
    downloadFile(
      `appointment-${(a.start ?? '').slice(0, 10)}.ics`,
      [icsFor(a, this.clinic?.name ?? 'the clinic')],
      'text/calendar',
    );
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
      await ok(
        portal.api.appointments[':id'].cancel.$post({
          param: { id: encodeURIComponent(a.id!) },
          json: reason ? { reason } : {},
        }),
      );
      this.cancelling = undefined;
      this.notice = a.start
        ? `Your ${visitDetails(a).type.toLowerCase()} on ${visitTime(a.start, this.zone).clinic} is cancelled.`
        : 'Your appointment request is withdrawn.';
      await this.record.session?.sync();
    } catch (error) {
      this.problem =
        error instanceof ApiProblem ? error.message : 'The appointment could not be cancelled. Please try again.';
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[role=alert], .success')?.focus();
  }

  private async discard(item: OutboxItem) {
    await this.vault!.deleteOutbox(item.id);
    this.outbox = this.outbox.filter((i) => i.id !== item.id);
  }

  /** A refused request goes back into the request form's drafts: nothing the person wrote is lost. */
  private async edit(item: OutboxItem) {
    const body = item.body as Record<string, string | undefined>;
    for (const field of ['reason', 'earliest', 'latest', 'timeOfDay'])
      await this.vault!.saveDraft(draftKey(REQUEST_PAGE, field), body[field] ?? '');
    await this.vault!.deleteOutbox(item.id);
    navigate(this, REQUEST_PAGE);
  }

  /** A request (no time yet): what for, the days asked for, and the clinic's answer when there is one. */
  private requestCard(a: Appointment) {
    const status =
      a.status === 'proposed' ? 'Waiting for the clinic to choose a time.' : (a.cancelationReason?.text ?? 'Cancelled');
    return html`<li class="card">
      <h3>Appointment request</h3>
      ${a.reasonCode?.[0]?.text ? html`<p>${a.reasonCode[0].text}</p>` : nothing}
      <p>Days that suit you: ${requestedDays(a)}${a.comment ? html` · ${a.comment.replace(/^Preferred: /, '')}` : nothing}</p>
      <p class="meta">Status: ${status}</p>
      ${
        a.status === 'proposed'
          ? this.cancelling === a.id
            ? html`<form @submit=${(e: SubmitEvent) => this.cancel(e, a)}>
              <p><button type="submit" ?disabled=${this.busy}>Withdraw this request</button>
                <button type="button" class="secondary" @click=${() => (this.cancelling = undefined)}>Keep it</button></p>
            </form>`
            : html`<p><button type="button" class="secondary" @click=${() => ((this.cancelling = a.id), (this.notice = undefined))}>Withdraw…</button></p>`
          : nothing
      }
    </li>`;
  }

  /** Whether a visit can still be changed online and until when, said before the patient starts; undefined if not known. */
  private changeRule(a: Appointment) {
    const w = changeWindow(a, this.clinic);
    if (!w || !this.clinic) return undefined;
    const phone = this.clinic.support.phone;
    const call = html`<a href=${telHref(phone)}>${phone}</a>`;
    const until = deadlineText(w.until, this.zone);
    return {
      open: w.open,
      sentence: w.open
        ? html`<p class="rule">You can change or cancel this online until ${until}; after that, call ${call}.</p>`
        : html`<p class="rule">It is too late to change or cancel this online (that closed ${until}). To change or cancel it, call ${call}.</p>`,
    };
  }

  /** A visit from the record (an Encounter): what kind, which day, with whom and where. */
  private encounterCard(e: Encounter) {
    const who = e.participant?.find((p) => p.individual?.display)?.individual?.display;
    const place = e.location?.[0]?.location?.display ?? e.serviceProvider?.display;
    return html`<li class="card">
      <h3>${conceptText(e.type?.[0], 'Visit')}</h3>
      <p><strong>${visitDay(e.period!.start!, this.zone)}</strong></p>
      ${who || place ? html`<p>${[who && `With ${who}`, place && `at ${place}`].filter(Boolean).join(', ')}</p>` : nothing}
      ${e.reasonCode?.length ? html`<p>Reason: ${e.reasonCode.map((r) => conceptText(r)).join(', ')}</p>` : nothing}
    </li>`;
  }

  private card(a: Appointment, upcoming: boolean) {
    if (!a.start) return this.requestCard(a);
    const d = visitDetails(a);
    const t = visitTime(a.start!, this.zone);
    const rule = upcoming ? this.changeRule(a) : undefined;
    return html`<li class="card">
      <h3>${d.type}${d.who ? html` with ${d.who}` : nothing}</h3>
      <p><strong>${t.clinic}</strong>${t.device ? html`<br />${t.device}` : nothing}</p>
      <p>${[d.department, d.place].filter(Boolean).join(' · ')}${d.address ? html`<br /><span class="meta">${d.address}</span>` : nothing}</p>
      ${upcoming && a.patientInstruction ? html`<p><strong>Before you come:</strong> ${a.patientInstruction}</p>` : nothing}
      <p class="meta">Status: ${a.cancelationReason?.text?.startsWith('Cancelled') ? a.cancelationReason.text : `${STATUS[a.status] ?? a.status}${a.cancelationReason?.text ? ` (${a.cancelationReason.text})` : ''}`}</p>
      ${
        upcoming
          ? this.cancelling === a.id
            ? html`<form @submit=${(e: SubmitEvent) => this.cancel(e, a)}>
              <div class="field"><label for="reason-${a.id}">Reason (optional)</label>
                <input id="reason-${a.id}" name="reason" type="text" maxlength="300" /></div>
              <p><button type="submit" ?disabled=${this.busy}>Cancel this appointment</button>
                <button type="button" class="secondary" @click=${() => (this.cancelling = undefined)}>Keep it</button></p>
            </form>`
            : html`${rule?.sentence ?? nothing}<p>
              <button type="button" class="secondary" @click=${() => this.calendar(a)} aria-label="Add to calendar: ${d.type} on ${t.clinic}">Add to calendar</button>
              ${
                rule?.open === false
                  ? nothing
                  : html`<a class="button" href="/appointments/book?reschedule=${encodeURIComponent(a.id!)}" aria-label="Change the time: ${d.type} on ${t.clinic}">Change the time</a>
              <button type="button" class="secondary" @click=${() => ((this.cancelling = a.id), (this.notice = undefined))} aria-label="Cancel: ${d.type} on ${t.clinic}">Cancel…</button>`
              }
            </p>`
          : a.status !== 'cancelled'
            ? html`<p><a href="/records/visits">Visit summaries</a></p>`
            : nothing
      }
    </li>`;
  }

  protected renderBody() {
    return html`${this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      <p><a class="button" href="/appointments/book">Book a visit</a>
        <a class="button" href=${REQUEST_PAGE}>Ask for an appointment</a></p>
      ${
        this.outbox.length || this.requests.length
          ? html`<h2>Your requests (${this.outbox.length + this.requests.length})</h2>
            ${outboxList(
              this.outbox,
              (i) => void this.discard(i),
              (i) => void this.edit(i),
              !this.session?.unlockedOffline,
              'Requests on their way',
            )}
            ${this.requests.length ? html`<ul class="items" aria-label="Requests the clinic has">${this.requests.map((a) => this.requestCard(a))}</ul>` : nothing}`
          : nothing
      }
      <h2>Upcoming (${this.upcoming.length})</h2>
      ${this.upcoming.length ? html`<ul class="items">${this.upcoming.map((a) => this.card(a, true))}</ul>` : html`<p>No upcoming appointments.</p>`}
      <h2>Past (${this.past.length})</h2>
      ${
        this.past.length
          ? html`<p class="meta">Newest first, from your record. What was found and decided at each visit is under <a href="/records/visits">Visits</a> in your record.</p>
            <ul class="items" aria-label="Past visits">${this.past
              .slice(0, this.shownPast)
              .map((v) =>
                v.kind === 'encounter' ? this.encounterCard(v.encounter) : this.card(v.appointment, false),
              )}</ul>
            ${showMore(this.past.length, this.shownPast, 'visits', () => (this.shownPast += 20))}`
          : html`<p>None.</p>`
      }
      <h2>Cancelled (${this.cancelled.length})</h2>
      ${this.cancelled.length ? html`<ul class="items" aria-label="Cancelled visits">${this.cancelled.slice(0, 50).map((a) => this.card(a, false))}</ul>` : html`<p>None.</p>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-appointments-page': AppointmentsPage;
  }
}
