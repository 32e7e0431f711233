import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { clinicContext, type ClinicInfo } from '../../session/clinic-context.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { telHref } from '../../ui/tel-href.js';

/**
 * Help: what to do in an emergency, how to reach the nurse line and portal support, and when support is open.
 * Everything comes from the clinic's configuration, and it opens offline.
 */
@customElement('mcl-help-page')
export class HelpPage extends LitElement {
  static override styles = [
    pageStyles,
    css`
      table {
        border-collapse: collapse;
      }
      th,
      td {
        text-align: left;
        padding: 0.35rem 1.25rem 0.35rem 0;
        border-bottom: 1px solid var(--mcl-border, #c9d2d6);
      }
      .phone {
        font-size: 1.3rem;
        font-weight: 700;
      }
    `,
  ];

  @consume({ context: clinicContext, subscribe: true })
  clinic: ClinicInfo | undefined;

  override render() {
    const clinic = this.clinic;
    if (!clinic) {
      return html`<h1>Help</h1>
        <p role="status">The clinic's contact details could not be loaded. Connect to the internet once and try again.</p>
        <section class="card urgent" aria-labelledby="emergency">
          <h2 id="emergency">In an emergency</h2>
          <p>If you think you are having a medical emergency, call your local emergency number now.</p>
        </section>`;
    }
    const { urgent, support } = clinic;
    return html`
      <h1>Help</h1>
      <section class="card urgent" aria-labelledby="emergency">
        <h2 id="emergency">Urgent or emergency care</h2>
        <p>${urgent.guidance}</p>
        <p>
          Emergency:
          <a class="phone" href=${telHref(urgent.emergencyNumber)}>call ${urgent.emergencyNumber}</a>
        </p>
        <p>
          Nurse line (${urgent.nurseLine.hours}):
          <a class="phone" href=${telHref(urgent.nurseLine.phone)}>${urgent.nurseLine.phone}</a>
        </p>
      </section>
      <section class="card" aria-labelledby="support">
        <h2 id="support">Help with the portal</h2>
        <p>
          Call portal support on <a class="phone" href=${telHref(support.phone)}>${support.phone}</a>
          ${support.email ? html`or write to <a href="mailto:${support.email}">${support.email}</a>` : ''}.
        </p>
        <table>
          <caption class="visually-hidden">Support hours</caption>
          <thead>
            <tr>
              <th scope="col">Days</th>
              <th scope="col">Hours (${clinic.timeZone.replace(/_/g, ' ')} time)</th>
            </tr>
          </thead>
          <tbody>
            ${support.hours.map((h) => html`<tr><td>${h.days}</td><td>${h.hours}</td></tr>`)}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="offline">
        <h2 id="offline">Using the portal without a connection</h2>
        <p>
          Once you have opened the portal on this device, its pages open without a connection, such as on a plane or
          abroad. When you are offline, the top of the screen says so.
        </p>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-help-page': HelpPage;
  }
}
