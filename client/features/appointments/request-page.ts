import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { clinicContext, type ClinicInfo } from '../../session/clinic-context.js';
import { navigate } from '../../session/navigate.js';
import { submit } from '../../record/outbox.js';
import type { Vault } from '../../record/vault.js';
import { formStyles } from '../../ui/form-styles.js';
import { DraftKeeper, draftKey } from '../../record/draft-keeper.js';
import { RecordPage } from '../../session/record-page.js';
import { dayIn, deviceZone } from '../../record/visit-time.js';

/** Where an appointment request is written (its drafts are kept under this path). */
export const REQUEST_PAGE = '/appointments/request';

/** `date` (YYYY-MM-DD) plus `days`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The request as the server takes it (server/appointments/requests.ts), or the sentence saying what to fix. */
export function requestFrom(
  form: FormData,
  patientId: string,
  today: string,
):
  | { body: { patientId: string; reason: string; earliest: string; latest: string; timeOfDay: string } }
  | { problem: string } {
  const reason = String(form.get('reason') ?? '').trim();
  const earliest = String(form.get('earliest') ?? '');
  const latest = String(form.get('latest') ?? '');
  const timeOfDay = String(form.get('timeOfDay') ?? 'any');
  if (!reason) return { problem: 'Please say what the visit is for.' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(earliest) || !/^\d{4}-\d{2}-\d{2}$/.test(latest))
    return { problem: 'Please choose the first and the last day that would suit you.' };
  if (latest < earliest) return { problem: 'The last day is before the first day.' };
  if (latest < today) return { problem: 'Those days have passed. Please choose days from today on.' };
  return { body: { patientId, reason, earliest, latest, timeOfDay } };
}

/**
 * "Ask for an appointment": what the visit is for, which days would suit, mornings or afternoons. The clinic
 * chooses the time and the patient sees it under Appointments. It goes through the outbox, so it can be written
 * with no connection (on a plane, abroad) and is sent once when there is one again; what is typed is kept as a
 * sealed draft meanwhile.
 */
@customElement('mcl-request-page')
export class RequestPage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles];
  protected override readonly scope = 'appointments' as const;
  protected readonly heading = 'Ask for an appointment';
  protected override readonly printable = false;
  @consume({ context: clinicContext, subscribe: true })
  clinic: ClinicInfo | undefined;
  @state() private problem: string | undefined;
  @state() private sending = false;
  private readonly drafts = new DraftKeeper(this, () => this.session?.account, REQUEST_PAGE);
  private vault: Vault | undefined;
  private patientId = '';

  private get today() {
    return dayIn(new Date().toISOString(), this.clinic?.timeZone ?? deviceZone());
  }

  /** What the fields start with: the person's kept draft (after a timeout, or a refusal put back), else defaults. */
  @state() private initial: { earliest: string; latest: string; timeOfDay: string } | undefined;

  protected async load(vault: Vault, patientId: string) {
    this.vault = vault;
    this.patientId = patientId;
    if (this.initial) return;
    const today = this.today;
    const kept = (field: string) => vault.draft(draftKey(REQUEST_PAGE, field));
    this.initial = {
      earliest: (await kept('earliest')) || addDays(today, 1),
      latest: (await kept('latest')) || addDays(today, 14),
      timeOfDay: (await kept('timeOfDay')) || 'any',
    };
  }

  private async send(event: SubmitEvent) {
    event.preventDefault();
    if (this.sending) return;
    const request = requestFrom(new FormData(event.target as HTMLFormElement), this.patientId, this.today);
    if ('problem' in request) {
      this.problem = request.problem;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[role=alert]')?.focus();
      return;
    }
    this.sending = true;
    try {
      const { reason } = request.body;
      await submit(this.vault!, {
        action: 'appointment.request',
        subject: 'request',
        title: `Appointment request: ${reason.length > 60 ? `${reason.slice(0, 60)}…` : reason}`,
        body: request.body,
      });
      await Promise.all(['reason', 'earliest', 'latest', 'timeOfDay'].map((n) => this.drafts.clear(n)));
      navigate(this, '/appointments');
    } catch {
      // What was typed is still here (and kept as a draft): nothing is lost, the person can try again.
      this.problem = 'Your request could not be stored on this device. Please try again.';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[role=alert]')?.focus();
    } finally {
      this.sending = false;
    }
  }

  protected renderBody() {
    const today = this.today;
    const initial = this.initial!;
    return html`<p>Tell the clinic what the visit is for and which days would suit you. They choose a time, and you
        see it under Appointments. This works without a connection too: it is sent when you are back online.</p>
      ${this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem}</p>` : ''}
      <form @submit=${this.send} novalidate>
        <div class="field"><label for="reason">What is the visit for?</label>
          <textarea id="reason" name="reason" required maxlength="1000" data-draft="reason"></textarea></div>
        <div class="field"><label for="earliest">First day that suits you</label>
          <input id="earliest" name="earliest" type="date" required min=${today} .value=${initial.earliest} data-draft="earliest" /></div>
        <div class="field"><label for="latest">Last day that suits you</label>
          <input id="latest" name="latest" type="date" required min=${today} .value=${initial.latest} data-draft="latest" /></div>
        <div class="field"><label for="timeOfDay">Time of day</label>
          <select id="timeOfDay" name="timeOfDay" .value=${initial.timeOfDay} data-draft="timeOfDay">
            <option value="any">Any time of day</option>
            <option value="morning">Mornings</option>
            <option value="afternoon">Afternoons</option>
          </select></div>
        <p class="hint">For anything urgent, call ${this.clinic?.support.phone ?? 'the clinic'}; in an emergency, call your local emergency number.</p>
        <button type="submit" ?disabled=${this.sending}>Send the request</button>
      </form>
      <p><a href="/appointments">Back to your appointments</a></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-request-page': RequestPage;
  }
}
