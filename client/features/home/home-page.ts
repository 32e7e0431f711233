import { LitElement, html, nothing } from 'lit';
import { viewedPatient } from '../../record/viewing.js';
import { customElement } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { clinicContext, type ClinicInfo } from '../../session/clinic-context.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { telHref } from '../../ui/tel-href.js';
import { sessionContext } from '../../session/session-context.js';
import { SessionWatch } from '../../session/session-watch.js';
import type { SessionController } from '../../session/session-controller.js';

/** Where a member of staff starts: the care team's work queues (the staff navigation's pages), by role. */
const STAFF_WORK: { href: string; label: string; what: string; admin?: true }[] = [
  { href: '/staff/messages', label: 'Messages', what: 'patients’ messages waiting for an answer' },
  { href: '/staff/refills', label: 'Refill requests', what: 'prescription refills to approve, decline or mark ready' },
  { href: '/staff/requests', label: 'Appointment requests', what: 'visits patients asked for, to book or decline' },
  { href: '/staff/schedule', label: 'Day schedule', what: 'who is booked on a day, and cancelling a visit' },
  {
    href: '/staff/guardians',
    label: 'Parents and guardians',
    what: 'giving a parent or guardian access to a child’s record',
  },
  { href: '/staff/scheduling', label: 'Scheduling', what: 'kinds of visit, schedules and bookable times', admin: true },
];

/**
 * The landing page: what the portal is for, and where to turn when something is urgent. Staff see their own
 * start instead: the patient welcome ("your health record…") is not theirs.
 */
@customElement('mcl-home-page')
export class HomePage extends LitElement {
  static override styles = pageStyles;

  @consume({ context: clinicContext, subscribe: true })
  clinic: ClinicInfo | undefined;

  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;

  protected readonly sessionWatch = new SessionWatch(this);
  private dashboardLoading: Promise<unknown> | undefined;

  override willUpdate(): void {
    // The dashboard (and the local database with it) loads only for a signed-in person, off the first paint; so
    // does the one-time offer to keep the record here for when there is no connection ([2/11]).
    if (this.session?.account?.kind === 'patient' && !this.dashboardLoading)
      this.dashboardLoading = Promise.all([import('./dashboard.js'), import('./keep-offline-offer.js')]);
  }

  override render() {
    const clinic = this.clinic;
    const account = this.session?.account;
    if (account?.kind === 'staff') {
      const work = STAFF_WORK.filter((w) => !w.admin || account.role === 'admin');
      return html`
        <h1>Care team${clinic ? html` · ${clinic.name}` : ''}</h1>
        <p>Signed in as ${account.displayName}. What needs your attention:</p>
        <ul class="staff-work">
          ${work.map((w) => html`<li><a href=${w.href}>${w.label}</a>: ${w.what}</li>`)}
        </ul>
        <p><a href="/help">Help, support hours and contact details</a></p>
      `;
    }
    return html`
      <h1>Welcome${clinic ? html` to ${clinic.name}` : ''}</h1>
      <p>
        This is your patient portal: your health record, messages with your care team, prescription refills and
        appointments, on your own phone or computer, even with no connection.
      </p>
      ${
        account?.kind === 'patient'
          ? html`${
              // The offer keeps the account's own record here; another person's record is read with a connection.
              account.patientId && viewedPatient(account) === account.patientId
                ? html`<mcl-keep-offline-offer .session=${this.session}></mcl-keep-offline-offer>`
                : nothing
            }<mcl-dashboard .account=${account}></mcl-dashboard>`
          : ''
      }
      <section class="card urgent" aria-labelledby="urgent">
        <h2 id="urgent">Is it urgent?</h2>
        <p>
          Do not use the portal for emergencies.
          ${
            clinic
              ? html`Call <a href=${telHref(clinic.urgent.emergencyNumber)}>${clinic.urgent.emergencyNumber}</a>, or the
                nurse line on <a href=${telHref(clinic.urgent.nurseLine.phone)}>${clinic.urgent.nurseLine.phone}</a>.`
              : html`Call your local emergency number.`
          }
        </p>
      </section>
      <p><a href="/help">Help, support hours and contact details</a></p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-home-page': HomePage;
  }
}
