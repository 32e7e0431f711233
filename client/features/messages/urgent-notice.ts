import { html } from 'lit';
import type { ClinicInfo } from '../../session/clinic-context.js';
import { telHref } from '../../ui/tel-href.js';

/**
 * The notice shown before every send (the issue; SECURITY.md's clinic config): messages are not for emergencies,
 * with the clinic's urgent-care numbers as links a phone can call.
 */
export function urgentNotice(clinic: ClinicInfo | undefined) {
  if (!clinic)
    return html`<div class="notice" role="note"><strong>Not for emergencies.</strong> If you think you are having a medical emergency, call your local emergency number now.</div>`;
  const { emergencyNumber, nurseLine } = clinic.urgent;
  return html`<div class="notice" role="note">
    <p><strong>Messages are not for emergencies.</strong> ${clinic.urgent.guidance}</p>
    <p>Emergency: <a href=${telHref(emergencyNumber)}>${emergencyNumber}</a> ·
      Nurse line: <a href=${telHref(nurseLine.phone)}>${nurseLine.phone}</a> (${nurseLine.hours})</p>
  </div>`;
}
