import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { clinicContext, type ClinicInfo } from '../../session/clinic-context.js';
import { sessionContext } from '../../session/session-context.js';
import type { SessionController } from '../../session/session-controller.js';
import { SessionWatch } from '../../session/session-watch.js';
import { navigate } from '../../session/navigate.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal, type Success } from '../../data/portal.js';
import { formStyles } from '../../ui/form-styles.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { ActionController } from '../../ui/action-controller.js';
import { recordSession } from '../../record/record-session.js';
import { recordStyles } from '../../session/record-page.js';
import { dayIn, deviceZone, visitTime } from '../../record/visit-time.js';

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

/**
 * Booking (or moving) a visit: the kind of visit, then a clinician or department (or anyone), then a free time,
 * grouped by day in the clinic's zone; a last look at the details, then "Book". Needs a connection (the server
 * decides who gets a time), and says so plainly without one. A retry of the same confirmation uses the same
 * Idempotency-Key, so a lost answer never books twice.
 */
@customElement('mcl-book-page')
export class BookPage extends LitElement {
  static override styles = [pageStyles, recordStyles, formStyles];
  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;
  @consume({ context: clinicContext, subscribe: true })
  clinic: ClinicInfo | undefined;
  protected readonly sessionWatch = new SessionWatch(this);
  @state() private types: VisitType[] | undefined;
  @state() private schedules: ScheduleOption[] = [];
  @state() private type = '';
  @state() private schedule = '';
  @state() private slots: Slot[] | undefined;
  @state() private chosen: Slot | undefined;
  private readonly action = new ActionController(this, { focus: '[role=alert]', describe: bookingProblem });
  private readonly reschedule = new URLSearchParams(location.search).get('reschedule') ?? undefined;
  private key: string | undefined;
  private started = false;

  private get zone() {
    return this.clinic?.timeZone ?? deviceZone();
  }

  override willUpdate(): void {
    if (this.session?.account && !this.started) {
      this.started = true;
      void this.action.run(async () => {
        const options = await ok(portal.api.appointments.options.$get());
        this.types = options.visitTypes;
        this.schedules = options.schedules;
      });
    }
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
      await recordSession(account).sync();
      navigate(this, '/appointments');
    });
  }

  private renderTimes(slots: Slot[]) {
    if (!slots.length)
      return html`<p>No free times in the next three weeks. Please try another clinician or department, or call ${this.clinic?.support.phone ?? 'the clinic'}.</p>`;
    const days = new Map<string, Slot[]>();
    for (const s of slots) days.set(dayIn(s.start, this.zone), [...(days.get(dayIn(s.start, this.zone)) ?? []), s]);
    return html`${[...days].slice(0, 14).map(
      ([day, list]) => html`<section aria-label=${visitTime(list[0]!.start, this.zone).clinic.replace(/ at .*$/, '')}>
        <h3>${new Intl.DateTimeFormat('en-US', { timeZone: this.zone, weekday: 'long', month: 'long', day: 'numeric' }).format(new Date(list[0]!.start))}</h3>
        <p>${list.map((s) => {
          const time = new Intl.DateTimeFormat('en-US', {
            timeZone: this.zone,
            hour: 'numeric',
            minute: '2-digit',
          }).format(new Date(s.start));
          return html`<button type="button" class="secondary" data-day=${day} @click=${() => this.choose(s)} aria-label="${time} on ${visitTime(s.start, this.zone).clinic.replace(/ at .*$/, '')} with ${s.schedule.name}">${time} · ${s.schedule.name}</button> `;
        })}</p>
      </section>`,
    )}`;
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

  override render() {
    const heading = this.reschedule ? 'Change the time of your appointment' : 'Book a visit';
    if (!this.session?.account)
      return html`<h1>${heading}</h1><p>Please <a href="/sign-in">sign in</a> to book a visit.</p>`;
    const offering = this.schedules.filter((s) => !this.type || s.visitTypes.includes(this.type));
    return html`<h1>${heading}</h1>
      ${this.action.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.action.problem}</p>` : nothing}
      ${
        this.types === undefined
          ? this.action.busy
            ? html`<p role="status">Loading…</p>`
            : nothing
          : html`<form @submit=${this.findTimes}>
            <div class="field"><label for="type">Kind of visit</label>
              <select id="type" required .value=${this.type} @change=${(e: Event) => ((this.type = (e.target as HTMLSelectElement).value), (this.schedule = ''), (this.slots = undefined))}>
                <option value="">Choose a kind of visit</option>
                ${this.types.map((v) => html`<option value=${v.id} ?selected=${v.id === this.type}>${v.name} (${v.minutes} minutes)</option>`)}
              </select></div>
            <div class="field"><label for="schedule">With</label>
              <select id="schedule" .value=${this.schedule} @change=${(e: Event) => ((this.schedule = (e.target as HTMLSelectElement).value), (this.slots = undefined))}>
                <option value="">Anyone who offers it</option>
                ${offering.map((s) => html`<option value=${s.id} ?selected=${s.id === this.schedule}>${s.name}${s.kind === 'clinician' ? ` (${s.department})` : ''}</option>`)}
              </select></div>
            <button type="submit" ?disabled=${this.action.busy}>Show free times</button>
            <p class="hint">Times are shown in the clinic's time zone (${this.zone.replace(/_/g, ' ')}).</p>
          </form>`
      }
      ${this.chosen ? this.renderConfirm(this.chosen) : nothing}
      ${this.slots && !this.chosen ? html`<h2 id="times-title" tabindex="-1">Free times</h2>${this.renderTimes(this.slots)}` : nothing}
      ${this.reschedule ? nothing : html`<p>No time that suits you, or no connection? <a href="/appointments/request">Ask for an appointment</a>: the clinic finds a time for you.</p>`}
      <p><a href="/appointments">Back to your appointments</a></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-book-page': BookPage;
  }
}
