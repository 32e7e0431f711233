import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { StaffPage } from '../../../session/staff-page.js';
import { ApiProblem } from '../../../data/api.js';
import { ok, portal, type Success } from '../../../data/portal.js';
import { pageStyles } from '../../../ui/shared-styles.js';
import { formStyles } from '../../../ui/form-styles.js';
import { ActionController } from '../../../ui/action-controller.js';

/** The day as the server answers it: per schedule, its times and who is booked. */
type Day = Success<Awaited<ReturnType<typeof portal.api.staff.appointments.day.$get>>>;
type DaySlot = Day['schedules'][number]['slots'][number];

/**
 * The day's schedule for the care team: each clinician's and department's times, who is booked, and cancelling a
 * visit on the clinic's side with a reason (the patient is told). Online only; every look is audited.
 */
@customElement('mcl-day-schedule-page')
export class DaySchedulePage extends StaffPage {
  static override styles = [
    pageStyles,
    formStyles,
    css`table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 0.4rem 0.6rem 0.4rem 0; border-bottom: 1px solid #c9d2d6; vertical-align: top; }`,
  ];
  @state() private date = new Date().toISOString().slice(0, 10);
  @state() private day: Day | undefined;
  @state() private cancelling: string | undefined;
  private readonly action = new ActionController(this, { focus: '[role=alert], .success' });
  @state() private notice: string | undefined;

  protected async load() {
    this.action.problem = undefined;
    try {
      this.day = await ok(portal.api.staff.appointments.day.$get({ query: { date: this.date } }));
    } catch (error) {
      this.action.problem = error instanceof ApiProblem ? error.message : 'The schedule could not be loaded.';
    }
  }

  private cancel(event: SubmitEvent, slot: DaySlot) {
    event.preventDefault();
    const reason = String(new FormData(event.target as HTMLFormElement).get('reason') ?? '').trim();
    return this.action.run(async () => {
      // The server takes the booked visit's id from its FHIR Appointment, whose type leaves `id` optional.
      await ok(
        portal.api.staff.appointments[':id'].cancel.$post({
          param: { id: encodeURIComponent(String(slot.booked!.appointmentId)) },
          json: { reason },
        }),
      );
      this.notice = `The visit of ${slot.booked!.patient.name} is cancelled; they have been told.`;
      this.cancelling = undefined;
      await this.load();
    });
  }

  override render() {
    if (this.session?.account?.kind !== 'staff') return html`<h1>Schedule</h1><p>This page is for the care team.</p>`;
    const zone = this.day?.timeZone;
    const time = (iso: string) =>
      new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
    return html`<h1>Schedule</h1>
      <form @submit=${(e: SubmitEvent) => (e.preventDefault(), void this.load())}>
        <div class="field"><label for="date">Day</label>
          <input id="date" type="date" .value=${this.date} @change=${(e: Event) => (this.date = (e.target as HTMLInputElement).value)} /></div>
        <button type="submit">Show the day</button>
      </form>
      ${this.action.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.action.problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      ${this.day && !this.day.schedules.length ? html`<p>No times on the schedule that day.</p>` : nothing}
      ${this.day?.schedules.map(
        (s) => html`<section aria-labelledby="s-${s.id}">
          <h2 id="s-${s.id}">${s.name} <span class="meta">· ${s.department} · ${s.location}</span></h2>
          <table>
            <caption class="meta">Times in ${zone}</caption>
            <thead><tr><th scope="col">Time</th><th scope="col">Visit</th><th scope="col">Patient</th><th scope="col"><span class="meta">Action</span></th></tr></thead>
            <tbody>
              ${s.slots.map(
                (slot) => html`<tr>
                  <td>${time(slot.start)}–${time(slot.end)}</td>
                  <td>${slot.visitType}</td>
                  <td>${slot.booked ? slot.booked.patient.name : html`<span class="meta">free</span>`}</td>
                  <td>${
                    slot.booked
                      ? this.cancelling === slot.id
                        ? html`<form @submit=${(e: SubmitEvent) => this.cancel(e, slot)}>
                          <div class="field"><label for="reason-${slot.id}">Reason (the patient is told)</label>
                            <input id="reason-${slot.id}" name="reason" type="text" required maxlength="300" /></div>
                          <button type="submit">Cancel the visit</button>
                          <button type="button" class="secondary" @click=${() => (this.cancelling = undefined)}>Keep it</button>
                        </form>`
                        : html`<button type="button" class="secondary" @click=${() => (this.cancelling = slot.id)} aria-label="Cancel the visit of ${slot.booked.patient.name} at ${time(slot.start)}">Cancel…</button>`
                      : nothing
                  }</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </section>`,
      )}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-day-schedule-page': DaySchedulePage;
  }
}
