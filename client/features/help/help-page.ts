import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { clinicContext, type ClinicInfo } from '../../session/clinic-context.js';
import { sessionContext } from '../../session/session-context.js';
import { onSharedComputer, SHARED_NOTICE, type SessionController } from '../../session/session-controller.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { telHref } from '../../ui/tel-href.js';

/**
 * Help: what to do in an emergency, how to reach the nurse line and portal support, and when support is open
 * (from the clinic's configuration), using the portal with no connection, and what keeping the record on the device
 * protects and what it does not ([2/11]; SECURITY.md "Data on the device"). It opens offline. On a computer marked
 * as shared it says first that nothing is kept on it.
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

  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;

  /** Using the portal with no connection, and keeping the record on the device: what it protects and what not. */
  private renderOffline() {
    const shared = onSharedComputer();
    const idle = this.session?.info?.idleSeconds;
    const locks = idle ? `after ${Math.round(idle / 60)} minutes without use` : 'after a few minutes without use';
    return html`<section class="card" aria-labelledby="offline">
        <h2 id="offline">Using the portal without a connection</h2>
        ${
          shared
            ? html`<p>On your own phone or computer the portal and your record open without a connection, such as on a
              plane or abroad. ${SHARED_NOTICE}</p>`
            : html`<p>Once you have opened the portal on this device, its pages open without a connection, such as on a
              plane or abroad. When you are offline, the top of the screen says so.</p>`
        }
      </section>
      <section class="card" aria-labelledby="keep">
        <h2 id="keep">Keeping your record on your phone or computer</h2>
        ${
          shared
            ? html`<p><strong>${SHARED_NOTICE}</strong> Keep your record only on a phone or computer of your own.</p>`
            : html`<p>On your own phone or computer you can keep your record for when you have no connection. Home offers
              it once, after your record has downloaded. You can turn it on or off at any time in Account, under
              “This device”.</p>`
        }
        <h3>What it protects</h3>
        <ul>
          <li>The copy of your record is locked (encrypted). It opens only with your passkey (your fingerprint, face or
            screen lock) or the PIN you chose.</li>
          <li>It locks itself when you sign out, and ${locks}.</li>
          <li>After 10 wrong PINs in a row, the copy is deleted from the device.</li>
        </ul>
        <h3>What it does not protect</h3>
        <ul>
          <li>Someone who knows your PIN and has your phone can open it. Keep your PIN to yourself, and do not use your
            birthday or a number others know.</li>
          <li>Screenshots, photos of the screen, and files you download or print are not locked.</li>
          <li>A phone or computer with harmful software (malware) on it may see what you see. Keep it up to date, and
            install apps only from its app store.</li>
        </ul>
        <h3>How to remove it</h3>
        <ul>
          <li>To stop opening it without a connection: Account, “This device”, then “Stop keeping it for offline use”.
            The copy then opens only when you are signed in.</li>
          <li>To delete the copy completely: Health record, then “Sign out and remove my data from this device”.</li>
          <li>Phone or computer lost or stolen? The copy stays locked, and 10 wrong PINs delete it. Sign in on another
            device and end its session in Account, under “Where you are signed in”, or call portal support.</li>
        </ul>
      </section>`;
  }

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
      ${this.renderOffline()}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-help-page': HelpPage;
  }
}
