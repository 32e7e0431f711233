import type { Appointment, CareTeam, Encounter, Patient } from 'fhir/r4';
import type { ClinicInfo } from '../../common/clinic.js';
import { zoneName } from './visit-time.js';

/**
 * Whether a booked visit can still be changed or cancelled online, and until when: the server's rule (booking
 * online closes `changeCutoffHours` before a visit, CANCEL_CUTOFF_HOURS), which reaches the page in /clinic.json,
 * so this answers offline too. Undefined when the rule is not known (clinic settings not loaded yet).
 */
export function changeWindow(
  a: Appointment,
  clinic: ClinicInfo | undefined,
  now = Date.now(),
): { until: string; open: boolean } | undefined {
  const hours = clinic?.booking?.changeCutoffHours;
  if (hours === undefined || !a.start) return undefined;
  const until = Date.parse(a.start) - hours * 3600_000;
  // The server refuses once less than the cut-off is left: at `until` itself it still accepts.
  return { until: new Date(until).toISOString(), open: now <= until };
}

/** "Tue, Dec 8, 9:00 AM Chicago time": a deadline in the clinic's zone, short enough for a sentence. */
export function deadlineText(iso: string, zone: string): string {
  const when = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(iso));
  return `${when} ${zoneName(zone)} time`;
}

/** "24 hours", "1 hour": the cut-off as the sentences say it. */
export const hoursText = (hours: number) => `${hours} ${hours === 1 ? 'hour' : 'hours'}`;

/** The visit type (its id) of an Appointment the portal booked (server/appointments/appointments.ts writes it). */
export function visitTypeCode(a: Appointment): string | undefined {
  return a.appointmentType?.coding?.find((c) => c.system?.endsWith('/fhir/visit-types'))?.code;
}

/**
 * The clinicians the record names as the patient's own, most likely first, as `Practitioner/<id>` references:
 * their general practitioner (Patient.generalPractitioner), then the clinicians of their active care teams, then
 * whoever saw them at their latest visit (Synthea records name no GP and no care team, only visits).
 */
export function ownClinicians(patient: Patient | undefined, teams: CareTeam[], encounters: Encounter[]): string[] {
  const refs = (patient?.generalPractitioner ?? []).map((r) => r.reference);
  for (const team of teams.filter((t) => t.status === 'active'))
    refs.push(...(team.participant ?? []).map((p) => p.member?.reference));
  const latest = encounters
    .filter((e) => e.period?.start && e.status !== 'cancelled' && e.status !== 'entered-in-error')
    .sort((a, b) => Date.parse(b.period!.start!) - Date.parse(a.period!.start!))[0];
  refs.push(...(latest?.participant ?? []).map((p) => p.individual?.reference));
  return [...new Set(refs.filter((r): r is string => !!r?.startsWith('Practitioner/')))];
}
