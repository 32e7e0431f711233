import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { StaffPage } from '../../../session/staff-page.js';
import { ok, portal, type Success } from '../../../data/portal.js';
import { pageStyles } from '../../../ui/shared-styles.js';
import { formStyles } from '../../../ui/form-styles.js';
import { ActionController } from '../../../ui/action-controller.js';

/** The visit types and schedules as the server lists them (its table rows). */
type Lists = Success<Awaited<ReturnType<typeof portal.api.staff.appointments.scheduling.$get>>>;
type VisitType = Lists['visitTypes'][number];
type Schedule = Lists['schedules'][number];

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * Scheduling, for administrators: the kinds of visit (length, whether patients may book them online, what to
 * bring), the schedules of clinicians and departments, and adding bookable times over a range of days (in the
 * clinic's time zone; times that would overlap are skipped). The same rules as `npm run cli -- schedule`.
 */
@customElement('mcl-scheduling-page')
export class SchedulingPage extends StaffPage {
  static override styles = [
    pageStyles,
    formStyles,
    css`table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 0.4rem 0.6rem 0.4rem 0; border-bottom: 1px solid #c9d2d6; } fieldset .choice { display: inline-flex; margin-right: 1rem; }`,
  ];
  @state() private types: VisitType[] = [];
  @state() private schedules: Schedule[] = [];
  private readonly action = new ActionController(this, { focus: '[role=alert], .success' });
  @state() private notice: string | undefined;

  protected override readonly onlyRole = 'admin';

  protected load() {
    return this.action.run(() => this.fetchAll());
  }

  private async fetchAll() {
    const data = await ok(portal.api.staff.appointments.scheduling.$get());
    this.types = data.visitTypes;
    this.schedules = data.schedules;
  }

  private submit(event: SubmitEvent, send: (data: FormData) => Promise<string>) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    void this.action.run(async () => {
      this.notice = await send(new FormData(form));
      form.reset();
      await this.fetchAll();
    });
  }

  private readonly addType = (data: FormData) =>
    ok(
      portal.api.staff.appointments.scheduling['visit-types'].$post({
        json: {
          id: String(data.get('id')),
          name: String(data.get('name')),
          minutes: Number(data.get('minutes')),
          bookableOnline: data.get('online') === 'on',
          instructions: String(data.get('instructions') ?? ''),
        },
      }),
    ).then(() => `Visit type “${String(data.get('name'))}” saved.`);

  private readonly addSchedule = (data: FormData) =>
    ok(
      portal.api.staff.appointments.scheduling.schedules.$post({
        json: {
          id: String(data.get('id')),
          // The form's select offers only the server's two kinds; the typed body accepts no other string.
          kind: data.get('kind') === 'department' ? 'department' : 'clinician',
          name: String(data.get('name')),
          department: String(data.get('department')),
          locationName: String(data.get('location')),
          locationAddress: String(data.get('address')),
        },
      }),
    ).then(() => `Schedule “${String(data.get('name'))}” saved.`);

  private readonly addTimes = (data: FormData) =>
    ok(
      portal.api.staff.appointments.scheduling.schedules[':id'].slots.$post({
        param: { id: encodeURIComponent(String(data.get('schedule'))) },
        json: {
          visitTypeId: String(data.get('type')),
          from: String(data.get('from')),
          to: String(data.get('to')),
          weekdays: data.getAll('day').map(Number),
          start: String(data.get('start')),
          end: String(data.get('end')),
        },
      }),
    ).then(
      (r) => `${r.added} times added${r.skipped ? ` (${r.skipped} skipped: they overlap times already there)` : ''}.`,
    );

  override render() {
    if (this.session?.account?.role !== 'admin')
      return html`<h1>Scheduling</h1><p>This page is for administrators.</p>`;
    const field = (id: string, label: string, input: unknown) =>
      html`<div class="field"><label for=${id}>${label}</label>${input}</div>`;
    return html`<h1>Scheduling</h1>
      ${this.action.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.action.problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      <h2>Kinds of visit</h2>
      <table><thead><tr><th scope="col">Name</th><th scope="col">Length</th><th scope="col">Booked by</th><th scope="col">Before you come</th></tr></thead>
        <tbody>${this.types.map((t) => html`<tr><td>${t.name} <span class="meta">(${t.id})</span></td><td>${t.minutes} min</td><td>${t.bookable_online ? 'patients online' : 'the clinic'}</td><td>${t.instructions}</td></tr>`)}</tbody></table>
      <form @submit=${(e: SubmitEvent) => this.submit(e, this.addType)} aria-label="Add or change a kind of visit">
        ${field('vt-id', 'Id (lowercase letters, digits, -)', html`<input id="vt-id" name="id" type="text" required pattern="[a-z0-9-]{1,40}" />`)}
        ${field('vt-name', 'Name', html`<input id="vt-name" name="name" type="text" required maxlength="100" />`)}
        ${field('vt-minutes', 'Length in minutes', html`<input id="vt-minutes" name="minutes" type="text" inputmode="numeric" required pattern="[0-9]{1,3}" />`)}
        ${field('vt-instructions', 'Before you come (shown to the patient)', html`<input id="vt-instructions" name="instructions" type="text" maxlength="600" />`)}
        <label class="choice"><input name="online" type="checkbox" /> Patients may book it online</label>
        <button type="submit">Save the kind of visit</button>
      </form>
      <h2>Schedules</h2>
      <table><thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Department</th><th scope="col">Where</th></tr></thead>
        <tbody>${this.schedules.map((s) => html`<tr><td>${s.name} <span class="meta">(${s.id})</span></td><td>${s.kind}</td><td>${s.department}</td><td>${s.location_name}, ${s.location_address}</td></tr>`)}</tbody></table>
      <form @submit=${(e: SubmitEvent) => this.submit(e, this.addSchedule)} aria-label="Add or change a schedule">
        ${field('s-id', 'Id (lowercase letters, digits, -)', html`<input id="s-id" name="id" type="text" required pattern="[a-z0-9-]{1,40}" />`)}
        ${field('s-kind', 'Kind', html`<select id="s-kind" name="kind"><option value="clinician">A clinician</option><option value="department">A department</option></select>`)}
        ${field('s-name', 'Name', html`<input id="s-name" name="name" type="text" required maxlength="120" />`)}
        ${field('s-department', 'Department', html`<input id="s-department" name="department" type="text" required maxlength="120" />`)}
        ${field('s-location', 'Place', html`<input id="s-location" name="location" type="text" required maxlength="120" />`)}
        ${field('s-address', 'Address', html`<input id="s-address" name="address" type="text" required maxlength="300" />`)}
        <button type="submit">Save the schedule</button>
      </form>
      <h2>Add bookable times</h2>
      <form @submit=${(e: SubmitEvent) => this.submit(e, this.addTimes)} aria-label="Add bookable times">
        ${field('t-schedule', 'Schedule', html`<select id="t-schedule" name="schedule" required>${this.schedules.map((s) => html`<option value=${s.id}>${s.name}</option>`)}</select>`)}
        ${field('t-type', 'Kind of visit', html`<select id="t-type" name="type" required>${this.types.map((t) => html`<option value=${t.id}>${t.name} (${t.minutes} min)</option>`)}</select>`)}
        ${field('t-from', 'From', html`<input id="t-from" name="from" type="date" required />`)}
        ${field('t-to', 'To', html`<input id="t-to" name="to" type="date" required />`)}
        <fieldset><legend>On</legend>${DAYS.map((d, i) => html`<label class="choice"><input name="day" type="checkbox" value=${i} ?checked=${i > 0 && i < 6} /> ${d}</label>`)}</fieldset>
        ${field('t-start', 'First time (clinic time)', html`<input id="t-start" name="start" type="text" required pattern="[0-2][0-9]:[0-5][0-9]" placeholder="09:00" />`)}
        ${field('t-end', 'Last visit ends by', html`<input id="t-end" name="end" type="text" required pattern="[0-2][0-9]:[0-5][0-9]" placeholder="12:00" />`)}
        <button type="submit">Add the times</button>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-scheduling-page': SchedulingPage;
  }
}
