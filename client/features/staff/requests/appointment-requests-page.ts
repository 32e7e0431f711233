import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { StaffPage } from '../../../session/staff-page.js';
import { ApiProblem } from '../../../data/api.js';
import { ok, portal, type Success } from '../../../data/portal.js';
import { pageStyles } from '../../../ui/shared-styles.js';
import { formStyles } from '../../../ui/form-styles.js';
import { ActionController } from '../../../ui/action-controller.js';

const requestsApi = portal.api.staff.appointments.requests;
/** The queue as the server answers it: open requests, the visit types to book them as, the clinic's zone. */
type Queue = Success<Awaited<ReturnType<typeof requestsApi.$get>>>;
type AppointmentRequest = Queue['requests'][number];
type FreeTime = Success<Awaited<ReturnType<(typeof requestsApi)[':id']['slots']['$get']>>>['slots'][number];

/**
 * Patients' appointment requests (written in the app, often offline): oldest first, with what for, which days and
 * what time of day. For each, the care team finds a free time within those days (any kind of visit, also ones
 * patients cannot book themselves) and books it, or declines with a reason; the patient is told either way.
 */
@customElement('mcl-appointment-requests-page')
export class AppointmentRequestsPage extends StaffPage {
  static override styles = [
    pageStyles,
    formStyles,
    css`ul.items { list-style: none; padding: 0; margin: 0; } ul.items > li { margin: 0 0 0.75rem; } .times button { margin: 0 0.4rem 0.4rem 0; }`,
  ];
  @state() private requests: AppointmentRequest[] | undefined;
  @state() private visitTypes: Queue['visitTypes'] = [];
  @state() private zone: string | undefined;
  @state() private open: string | undefined;
  @state() private declining: string | undefined;
  @state() private times: FreeTime[] | undefined;
  private readonly action = new ActionController(this, { focus: '[role=alert], .success' });
  @state() private notice: string | undefined;

  protected async load() {
    try {
      const answer = await ok(requestsApi.$get());
      ({ requests: this.requests, visitTypes: this.visitTypes, timeZone: this.zone } = answer);
    } catch (error) {
      this.action.problem = error instanceof ApiProblem ? error.message : 'The requests could not be loaded.';
    }
  }

  /** An action of this page: the last notice goes when it starts (a new one may come with it). */
  private act(work: () => Promise<void>) {
    this.notice = undefined;
    return this.action.run(work);
  }

  private findTimes(event: SubmitEvent, r: AppointmentRequest) {
    event.preventDefault();
    const visitType = String(new FormData(event.target as HTMLFormElement).get('visitType') ?? '');
    void this.act(async () => {
      this.times = (
        await ok(requestsApi[':id'].slots.$get({ param: { id: encodeURIComponent(r.id) }, query: { visitType } }))
      ).slots;
    });
  }

  private book(r: AppointmentRequest, time: FreeTime) {
    void this.act(async () => {
      await ok(requestsApi[':id'].book.$post({ param: { id: encodeURIComponent(r.id) }, json: { slotId: time.id } }));
      this.notice = `Booked for ${r.patient.name}: ${this.when(time.start)} with ${time.schedule.name}. They have been told.`;
      this.open = undefined;
      this.times = undefined;
      await this.load();
    });
  }

  private decline(event: SubmitEvent, r: AppointmentRequest) {
    event.preventDefault();
    const reason = String(new FormData(event.target as HTMLFormElement).get('reason') ?? '').trim();
    void this.act(async () => {
      await ok(requestsApi[':id'].decline.$post({ param: { id: encodeURIComponent(r.id) }, json: { reason } }));
      this.notice = `The request of ${r.patient.name} is declined. They have been told why.`;
      this.declining = undefined;
      await this.load();
    });
  }

  private when(iso: string) {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: this.zone,
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    }).format(new Date(iso));
  }

  private request(r: AppointmentRequest) {
    const days = (d: string) =>
      new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' }).format(
        new Date(`${d}T12:00:00Z`),
      );
    return html`<li class="card">
      <h2>${r.patient.name}</h2>${r.sentBy ? html`<p class="meta">Asked by ${r.sentBy.name}, for the patient</p>` : nothing}
      <p>${r.reason}</p>
      <p>Days: ${days(r.earliest)} – ${days(r.latest)} · ${r.preference} <span class="meta">· asked ${new Date(r.created).toLocaleDateString('en-US')}</span></p>
      ${
        this.open === r.id
          ? html`<form @submit=${(e: SubmitEvent) => this.findTimes(e, r)}>
              <div class="field"><label for="type-${r.id}">Kind of visit</label>
                <select id="type-${r.id}" name="visitType" required>
                  ${this.visitTypes.map((v) => html`<option value=${v.id}>${v.name} (${v.minutes} minutes)</option>`)}
                </select></div>
              <button type="submit">Show free times on those days</button>
              <button type="button" class="secondary" @click=${() => ((this.open = undefined), (this.times = undefined))}>Close</button>
            </form>
            ${
              this.times
                ? this.times.length
                  ? html`<p class="times" role="group" aria-label="Free times for ${r.patient.name}">${this.times.slice(0, 40).map((t) => html`<button type="button" class="secondary" @click=${() => this.book(r, t)}>Book ${this.when(t.start)} · ${t.schedule.name}</button>`)}</p>`
                  : html`<p role="status">No free times of that kind on those days. Choose another kind of visit, or decline with a suggestion.</p>`
                : nothing
            }`
          : this.declining === r.id
            ? html`<form @submit=${(e: SubmitEvent) => this.decline(e, r)}>
              <div class="field"><label for="why-${r.id}">Reason (the patient is told)</label>
                <input id="why-${r.id}" name="reason" type="text" required maxlength="300" /></div>
              <button type="submit">Decline the request</button>
              <button type="button" class="secondary" @click=${() => (this.declining = undefined)}>Keep it</button>
            </form>`
            : html`<p><button type="button" @click=${() => ((this.open = r.id), (this.times = undefined), (this.declining = undefined))} aria-label="Find a time for ${r.patient.name}">Find a time…</button>
              <button type="button" class="secondary" @click=${() => ((this.declining = r.id), (this.open = undefined))} aria-label="Decline the request of ${r.patient.name}">Decline…</button></p>`
      }
    </li>`;
  }

  override render() {
    if (this.session?.account?.kind !== 'staff')
      return html`<h1>Appointment requests</h1><p>This page is for the care team.</p>`;
    return html`<h1>Appointment requests</h1>
      ${this.action.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.action.problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      ${
        this.requests === undefined
          ? html`<p role="status">Loading…</p>`
          : this.requests.length
            ? html`<ul class="items" aria-label="Open requests, oldest first">${this.requests.map((r) => this.request(r))}</ul>`
            : html`<p>No open requests.</p>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-appointment-requests-page': AppointmentRequestsPage;
  }
}
