import { html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { Appointment, CareTeam, Encounter, Patient } from 'fhir/r4';
import { clinicContext, type ClinicInfo } from '../../session/clinic-context.js';
import { navigate } from '../../session/navigate.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal, type Success } from '../../data/portal.js';
import { formStyles } from '../../ui/form-styles.js';
import { ActionController } from '../../ui/action-controller.js';
import { telHref } from '../../ui/tel-href.js';
import type { Vault } from '../../record/vault.js';
import { RecordPage } from '../../session/record-page.js';
import { dayIn, deviceZone, visitDetails, visitTime } from '../../record/visit-time.js';
import { changeWindow, deadlineText, hoursText, ownClinicians, visitTypeCode } from '../../record/visit-rules.js';

/** The visit types patients may book and the schedules offering them, as the server answers. */
type Options = Success<Awaited<ReturnType<typeof portal.api.appointments.options.$get>>>;
type VisitType = Options['visitTypes'][number];
type ScheduleOption = Options['schedules'][number];
/** A free time, as the server lists it. */
type Slot = Success<Awaited<ReturnType<typeof portal.api.appointments.slots.$get>>>['slots'][number];

/** Why booking did not work, in words; without a connection, what to do instead. */
function bookingProblem(error: unknown): string {
  if (!(error instanceof ApiProblem)) return 'Something went wrong. Please try again.';
  if (error.status !== 0) return error.message;
  return `${error.message} Choosing a time needs a connection. You can ask for an appointment instead (below): it is sent when you are back online.`;
}

const time = (iso: string, zone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));

/**
 * Booking (or moving) a visit. First the rule, before anything is chosen: until when a visit can be booked, changed
 * or cancelled online, and the number to call after that (the server's cut-off, from the clinic settings). Then the
 * kind of visit (fixed when moving one: a move keeps it), a clinician or department (or anyone), then a free time,
 * grouped by day in the clinic's zone, the patient's own clinician's first (the one their record names); a last
 * look at the details, then "Book". A visit already inside the cut-off is not walked through: the page says to call.
 * Choosing and booking need a connection (the server decides who gets a time) and say so plainly without one; the
 * visit being moved and the patient's clinician are read from the local record. A retry of the same confirmation
 * uses the same Idempotency-Key, so a lost answer never books twice.
 */
@customElement('mcl-book-page')
export class BookPage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles];
  @consume({ context: clinicContext, subscribe: true })
  clinic: ClinicInfo | undefined;
  @state() private types: VisitType[] | undefined;
  @state() private schedules: ScheduleOption[] = [];
  @state() private type = '';
  @state() private schedule = '';
  @state() private slots: Slot[] | undefined;
  @state() private chosen: Slot | undefined;
  /** The visit being moved, from the local record (undefined when booking a new one, or not found). */
  @state() private moving: Appointment | undefined;
  /** `Practitioner/<id>` of the clinicians the record names as the patient's own, most likely first. */
  @state() private own: string[] = [];
  private readonly action = new ActionController(this, { focus: '[role=alert]', describe: bookingProblem });
  private readonly reschedule = new URLSearchParams(location.search).get('reschedule') ?? undefined;
  private key: string | undefined;
  private started = false;

  protected override readonly scope = 'appointments' as const;
  protected override readonly printable = false;
  protected get heading() {
    return this.reschedule ? 'Change the time of your appointment' : 'Book a visit';
  }

  private get zone() {
    return this.clinic?.timeZone ?? deviceZone();
  }

  protected async load(vault: Vault, patientId: string) {
    const [patient] = await vault.list<Patient>(patientId, 'Patient');
    this.own = ownClinicians(
      patient,
      await vault.list<CareTeam>(patientId, 'CareTeam'),
      await vault.list<Encounter>(patientId, 'Encounter', 20),
    );
    if (this.reschedule) {
      this.moving = await vault.get<Appointment>(patientId, 'Appointment', this.reschedule);
      this.type = (this.moving && visitTypeCode(this.moving)) ?? '';
    }
  }

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.session?.account && !this.started) {
      this.started = true;
      void this.action.run(async () => {
        const options = await ok(portal.api.appointments.options.$get());
        this.types = options.visitTypes;
        this.schedules = options.schedules;
      });
    }
  }

  /** The patient's own clinician's schedule at this clinic: the first clinician the record names who has one. */
  private get ownSchedule(): ScheduleOption | undefined {
    for (const ref of this.own) {
      const found = this.schedules.find((s) => s.practitioner === ref);
      if (found) return found;
    }
    return undefined;
  }

  private findTimes(event: SubmitEvent) {
    event.preventDefault();
    this.chosen = undefined;
    void this.action.run(async () => {
      const query = { visitType: this.type, ...(this.schedule ? { schedule: this.schedule } : {}) };
      this.slots = (await ok(portal.api.appointments.slots.$get({ query }))).slots;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#times-title')?.focus();
    });
  }

  private choose(slot: Slot) {
    this.chosen = slot;
    this.key = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#confirm-title')?.focus());
  }

  private confirm() {
    const slot = this.chosen!;
    const account = this.session!.account!;
    // One key per confirmation: pressing again after a lost answer is the same request.
    this.key ??= crypto.randomUUID();
    const key = this.key;
    void this.action.run(async () => {
      const headers = { 'Idempotency-Key': key };
      // hono/client puts a param into the path as it is (no encoding): this id comes from the address bar, and
      // unencoded a `../` or `?` in it would send the booking to another path.
      if (this.reschedule)
        await ok(
          portal.api.appointments[':id'].reschedule.$post(
            { param: { id: encodeURIComponent(this.reschedule) }, json: { slotId: slot.id } },
            { headers },
          ),
        );
      // An account without a patient record has nothing to book for: the server refuses the empty id (400).
      else
        await ok(
          portal.api.appointments.$post({ json: { patientId: account.patientId ?? '', slotId: slot.id } }, { headers }),
        );
      await this.record.session?.sync();
      navigate(this, '/appointments');
    });
  }

  private call() {
    const phone = this.clinic?.support.phone;
    return phone ? html`<a href=${telHref(phone)}>${phone}</a>` : 'the clinic';
  }

  /** Free times of one day each, in the clinic's zone; day headings at `level` (3, or 4 inside a group). */
  private renderDays(slots: Slot[], level: 3 | 4) {
    const days = new Map<string, Slot[]>();
    for (const s of slots) days.set(dayIn(s.start, this.zone), [...(days.get(dayIn(s.start, this.zone)) ?? []), s]);
    return [...days].slice(0, 14).map(([day, list]) => {
      const date = visitTime(list[0]!.start, this.zone).clinic.replace(/ at .*$/, '');
      const title = new Intl.DateTimeFormat('en-US', {
        timeZone: this.zone,
        weekday: 'long',
        month: 'long',
        day: 'numeric',
      }).format(new Date(list[0]!.start));
      return html`<section class="day">
        ${level === 3 ? html`<h3>${title}</h3>` : html`<h4>${title}</h4>`}
        <p>${list.map(
          (s) =>
            html`<button type="button" class="secondary" data-day=${day} @click=${() => this.choose(s)} aria-label="${time(s.start, this.zone)} · ${s.schedule.name}, ${date}">${time(s.start, this.zone)} · ${s.schedule.name}</button> `,
        )}</p>
      </section>`;
    });
  }

  private renderTimes(slots: Slot[]) {
    if (!slots.length)
      return html`<p>No free times in the next three weeks. Please try another clinician or department, or call ${this.call()}.</p>`;
    const own = this.ownSchedule;
    const mine = own ? slots.filter((s) => s.schedule.id === own.id) : [];
    const others = slots.filter((s) => !mine.includes(s));
    const offersType = own?.visitTypes.includes(this.type) && (!this.schedule || this.schedule === own.id);
    const none =
      offersType && !mine.length
        ? html`<p>Your clinician, ${own!.name}, has no free times for this kind of visit in the next three weeks.</p>`
        : nothing;
    if (!mine.length) return html`${none}${this.renderDays(others, 3)}`;
    return html`<section class="group" aria-labelledby="own-title">
        <h3 id="own-title">Your clinician, ${own!.name}</h3>${this.renderDays(mine, 4)}
      </section>
      ${others.length ? html`<section class="group" aria-labelledby="others-title"><h3 id="others-title">Other clinicians and teams</h3>${this.renderDays(others, 4)}</section>` : nothing}`;
  }

  private renderConfirm(s: Slot) {
    const t = visitTime(s.start, this.zone);
    const type = this.types?.find((v) => v.id === s.visitType.id);
    return html`<section class="card" aria-labelledby="confirm-title">
      <h2 id="confirm-title" tabindex="-1">${this.reschedule ? 'Move your appointment to this time?' : 'Book this appointment?'}</h2>
      <p><strong>${s.visitType.name}</strong> (${s.visitType.minutes} minutes) with ${s.schedule.name}</p>
      <p>${t.clinic}${t.device ? html`<br />${t.device}` : nothing}</p>
      <p>${s.schedule.location}<br /><span class="meta">${s.schedule.address}</span></p>
      ${type?.instructions ? html`<p><strong>Before you come:</strong> ${type.instructions}</p>` : nothing}
      <p><button type="button" ?disabled=${this.action.busy} @click=${() => this.confirm()}>${this.reschedule ? 'Move to this time' : 'Book this time'}</button>
        <button type="button" class="secondary" @click=${() => (this.chosen = undefined)}>Choose another time</button></p>
    </section>`;
  }

  /** The rule, said before anything is chosen. */
  private renderRule() {
    const hours = this.clinic?.booking?.changeCutoffHours;
    if (hours === undefined) return nothing;
    return html`<p class="rule">You can book, change or cancel a visit online until ${hoursText(hours)} before it starts; after that, please call ${this.call()}. Sooner times are not shown here.</p>`;
  }

  /** When moving: the visit being moved, or why it cannot be moved here (then nothing is walked through). */
  private renderMoving(): { stop: boolean; says: unknown } {
    const a = this.moving;
    if (!a || a.status !== 'booked' || !a.start)
      return {
        stop: true,
        says: html`<p>This appointment is not in your record as booked, so there is no time to change here. Please call ${this.call()} if it should be.</p>`,
      };
    const d = visitDetails(a);
    const at = visitTime(a.start, this.zone).clinic;
    const w = changeWindow(a, this.clinic);
    if (w && !w.open)
      return {
        stop: true,
        says: html`<p>Your ${d.type.toLowerCase()} on ${at} can no longer be changed online (that closed ${deadlineText(w.until, this.zone)}). To change or cancel it, please call ${this.call()}.</p>`,
      };
    if (this.types && !this.types.some((v) => v.id === this.type))
      return {
        stop: true,
        says: html`<p>Your ${d.type.toLowerCase()} on ${at}: visits of this kind are booked by the clinic, so to change the time please call ${this.call()}.</p>`,
      };
    return {
      stop: false,
      says: html`<p>Your ${d.type.toLowerCase()}${d.who ? ` with ${d.who}` : ''} on ${at}. Choose a new time for the same kind of visit${w ? html`; this can be done online until ${deadlineText(w.until, this.zone)}` : nothing}.</p>`,
    };
  }

  private renderForm() {
    const own = this.ownSchedule;
    const offering = this.schedules
      .filter((s) => !this.type || s.visitTypes.includes(this.type))
      .sort((a, b) => Number(b.id === own?.id) - Number(a.id === own?.id));
    const kind = this.types!.find((v) => v.id === this.type);
    return html`<form @submit=${this.findTimes}>
      ${
        this.reschedule
          ? html`<p id="type"><strong>Kind of visit:</strong> ${kind!.name} (${kind!.minutes} minutes). A move keeps the kind of visit.</p>`
          : html`<div class="field"><label for="type">Kind of visit</label>
            <select id="type" required .value=${this.type} @change=${(e: Event) => ((this.type = (e.target as HTMLSelectElement).value), (this.schedule = ''), (this.slots = undefined))}>
              <option value="">Choose a kind of visit</option>
              ${this.types!.map((v) => html`<option value=${v.id} ?selected=${v.id === this.type}>${v.name} (${v.minutes} minutes)</option>`)}
            </select></div>`
      }
      <div class="field"><label for="schedule">With</label>
        <select id="schedule" .value=${this.schedule} @change=${(e: Event) => ((this.schedule = (e.target as HTMLSelectElement).value), (this.slots = undefined))}>
          <option value="">Anyone who offers it</option>
          ${offering.map((s) => html`<option value=${s.id} ?selected=${s.id === this.schedule}>${s.name}${s.kind === 'clinician' ? ` (${s.department})` : ''}${s.id === own?.id ? ', your clinician' : ''}</option>`)}
        </select></div>
      <button type="submit" ?disabled=${this.action.busy}>Show free times</button>
      <p class="hint">Times are shown in the clinic's time zone (${this.zone.replace(/_/g, ' ')}).</p>
    </form>`;
  }

  protected renderBody() {
    const moving = this.reschedule ? this.renderMoving() : undefined;
    return html`${this.action.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.action.problem}</p>` : nothing}
      ${this.renderRule()} ${moving?.says ?? nothing}
      ${
        moving?.stop
          ? nothing
          : html`${
              this.types === undefined
                ? this.action.busy
                  ? html`<p role="status">Loading…</p>`
                  : nothing
                : this.renderForm()
            }
          ${this.chosen ? this.renderConfirm(this.chosen) : nothing}
          ${this.slots && !this.chosen ? html`<h2 id="times-title" tabindex="-1">Free times</h2>${this.renderTimes(this.slots)}` : nothing}`
      }
      ${this.reschedule ? nothing : html`<p>No time that suits you, or no connection? <a href="/appointments/request">Ask for an appointment</a>: the clinic finds a time for you.</p>`}
      <p><a href="/appointments">Back to your appointments</a></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-book-page': BookPage;
  }
}
