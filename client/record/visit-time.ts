import type { Appointment, Encounter } from 'fhir/r4';

/** The device's own time zone (a travelling patient's phone follows the local one). */
export const deviceZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** "Thursday, December 3, 2026 at 9:00 AM CST". */
function format(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/** A zone as people read it: "America/Chicago" → "Chicago". */
export const zoneName = (zone: string) => zone.split('/').pop()!.replace(/_/g, ' ');

/**
 * A visit's time in the clinic's zone, and also in the device's zone when the two differ (a patient abroad),
 * each with the zone named: "Thursday, December 3, 2026 at 9:00 AM CST (Chicago time)" and
 * "4:00 PM GMT+1 where you are (Berlin)".
 */
export function visitTime(iso: string, clinicZone: string, here = deviceZone()): { clinic: string; device?: string } {
  const clinic = `${format(iso, clinicZone)} (${zoneName(clinicZone)} time)`;
  const wall = (zone: string) =>
    new Intl.DateTimeFormat('en-US', { timeZone: zone, dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
  // The same clocks (the same zone, or one with the same offset that day): one time is enough.
  if (wall(clinicZone) === wall(here)) return { clinic };
  return { clinic, device: `${format(iso, here)} where you are (${zoneName(here)})` };
}

/** The calendar day (YYYY-MM-DD) of an instant in a zone, for grouping times by day. */
export const dayIn = (iso: string, zone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );

const icsDate = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const icsText = (text: string) =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/([,;])/g, '\\$1');

/** Folds a content line at 75 octets (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  for (const ch of line) {
    if (new TextEncoder().encode(current + ch).length > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = '';
    }
    current += ch;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/**
 * An .ics file (RFC 5545) for "Add to calendar": the visit's time in UTC (calendars show it in their own zone),
 * the clinic and place. The visit type stays out of the title, which lock screens show; it is in the description.
 */
export function icsFor(a: Appointment, clinicName: string, now = new Date()): string {
  const place = a.contained?.find((r) => r.resourceType === 'Location') as
    { name?: string; address?: { text?: string } } | undefined;
  const who = a.participant?.find(
    (p) => p.actor?.display && !p.actor.reference?.startsWith('Patient/') && p.actor.reference !== '#place',
  )?.actor?.display;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//mayocarelink//appointments//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${a.id}@mayocarelink`,
    `DTSTAMP:${icsDate(now.toISOString())}`,
    `DTSTART:${icsDate(a.start!)}`,
    `DTEND:${icsDate(a.end ?? a.start!)}`,
    `SUMMARY:${icsText(`Appointment at ${clinicName}`)}`,
    ...(place ? [`LOCATION:${icsText([place.name, place.address?.text].filter(Boolean).join(', '))}`] : []),
    `DESCRIPTION:${icsText([a.appointmentType?.text, who ? `with ${who}` : '', a.patientInstruction].filter(Boolean).join('\n'))}`,
    `STATUS:${a.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** Where and with whom, from the Appointment the server wrote (server/appointments/appointments.ts). */
export function visitDetails(a: Appointment) {
  const place = a.contained?.find((r) => r.resourceType === 'Location') as
    { name?: string; address?: { text?: string } } | undefined;
  return {
    type: a.appointmentType?.text ?? a.description ?? 'Appointment',
    who: a.participant?.find(
      (p) => p.actor?.display && !p.actor.reference?.startsWith('Patient/') && p.actor.reference !== '#place',
    )?.actor?.display,
    department: a.serviceType?.[0]?.text,
    place: place?.name,
    address: place?.address?.text,
  };
}

/**
 * Upcoming visits (soonest first); requests still waiting for the clinic to choose a time (newest first); past
 * visits (most recent first); cancelled visits and answered requests (most recent first).
 */
export function splitVisits(all: Appointment[], now = Date.now()) {
  const upcoming = all
    .filter((a) => a.status === 'booked' && Date.parse(a.end ?? a.start ?? '') > now)
    .sort((a, b) => String(a.start).localeCompare(String(b.start)));
  const requests = all
    .filter((a) => a.status === 'proposed')
    .sort((a, b) => String(b.created).localeCompare(String(a.created)));
  const newestFirst = (a: Appointment, b: Appointment) =>
    String(b.start ?? b.created).localeCompare(String(a.start ?? a.created));
  const rest = all.filter((a) => !upcoming.includes(a) && a.status !== 'proposed');
  const cancelled = rest.filter((a) => a.status === 'cancelled').sort(newestFirst);
  const past = rest.filter((a) => !cancelled.includes(a)).sort(newestFirst);
  return { upcoming, requests, past, cancelled };
}

/** A visit under Past: an Appointment that has happened, or a visit (Encounter) the record holds. */
export type PastVisit =
  | { kind: 'appointment'; at: string; appointment: Appointment }
  | { kind: 'encounter'; at: string; encounter: Encounter };

/**
 * Past visits, newest first: past Appointments and the record's Encounters (visits the clinic's systems recorded,
 * booked in the portal or not). An Encounter for an Appointment already listed is not listed twice; planned,
 * cancelled and mistaken Encounters are not visits that happened.
 */
export function pastVisits(past: Appointment[], encounters: Encounter[], now = Date.now()): PastVisit[] {
  const listed = new Set(past.map((a) => `Appointment/${a.id}`));
  const visits: PastVisit[] = past.map((a) => ({
    kind: 'appointment',
    at: a.start ?? a.created ?? '1970-01-01T00:00:00Z',
    appointment: a,
  }));
  for (const e of encounters) {
    const at = e.period?.start;
    if (!at || Date.parse(at) > now || ['planned', 'cancelled', 'entered-in-error'].includes(e.status)) continue;
    if ((e.appointment ?? []).some((r) => r.reference && listed.has(r.reference))) continue;
    visits.push({ kind: 'encounter', at, encounter: e });
  }
  return visits.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** "Tuesday, May 27, 2020": the day of a past visit in the clinic's zone. */
export const visitDay = (iso: string, zone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone: zone, dateStyle: 'full' }).format(new Date(iso));

/** "Monday, November 30 – Friday, December 4" for the days a request asks for (calendar days, no zone). */
export function requestedDays(a: Appointment): string {
  const p = a.requestedPeriod?.[0];
  if (!p?.start) return '';
  const day = (d: string) =>
    new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' }).format(
      new Date(`${d.slice(0, 10)}T12:00:00Z`),
    );
  return p.end && p.end !== p.start ? `${day(p.start)} – ${day(p.end)}` : day(p.start);
}
