import type { Appointment, Communication, MedicationRequest, Task } from 'fhir/r4';
import type { Vault } from './vault.js';
import { conversations, fromPatient, unreadReplies } from './conversations.js';
import { medicationName } from './fhir-display.js';
import { visitTime } from './visit-time.js';

/** Something new from the care team, shown on Home until the person opens it. */
export interface NewsItem {
  text: string;
  href: string;
}

/** Refill decisions the patient is told about (approved, denied, ready). */
const DECIDED: Record<string, string> = { accepted: 'approved', rejected: 'denied', ready: 'ready to collect' };
/** A decision older than this is history, not news (a new device does not announce last year's refills). */
const NEWS_DAYS = 30;

/** The key a decision is "seen" under: the request and the state it reached (each decision is news once). */
export const decisionKey = (t: Task) => `${t.id}:${t.status}`;

/**
 * The in-app notifications: replies from the care team not yet opened (on any of the patient's devices), refill decisions not yet seen on
 * Refills, and visits the clinic cancelled, not yet seen on Appointments. Read from the local record, like everything on Home.
 */
export async function news(
  vault: Vault,
  patientId: string,
  zone: string,
  now = new Date(),
): Promise<{ unreadMessages: number; items: NewsItem[] }> {
  const messages = await vault.list<Communication>(patientId, 'Communication');
  const unread = await unreadReplies(vault, patientId, messages);
  const items: NewsItem[] = conversations(messages, unread)
    .filter((c) => c.unread)
    .map((c) => ({
      text: `New reply from ${c.messages.filter((m) => !fromPatient(m)).at(-1)?.sender?.display ?? c.team}: ${c.subject}`,
      href: `/messages/conversation?id=${encodeURIComponent(c.id)}`,
    }));
  const since = now.getTime() - NEWS_DAYS * 86_400_000;
  const decided = (await vault.list<Task>(patientId, 'Task')).filter(
    (t) => DECIDED[t.status] && Date.parse(t.lastModified ?? t.authoredOn ?? '') >= since,
  );
  const fresh = await vault.unseen(patientId, 'Task', decided.map(decisionKey));
  for (const t of decided.filter((d) => fresh.has(decisionKey(d)))) {
    const medId = t.focus?.reference?.replace(/^MedicationRequest\//, '') ?? '';
    const med = await vault.get<MedicationRequest>(patientId, 'MedicationRequest', medId);
    items.push({
      text: `Your request for ${med ? medicationName(med) : 'a prescription'} was ${DECIDED[t.status]}${t.status === 'rejected' && t.statusReason?.text ? `: ${t.statusReason.text}` : '.'}`,
      href: '/refills',
    });
  }
  // Visits the clinic cancelled (the server words the reason so), until the Appointments page is opened.
  // Requests the clinic answered without a time (declined), likewise.
  const cancelled = (await vault.list<Appointment>(patientId, 'Appointment')).filter((a) => a.status === 'cancelled');
  const byClinic = cancelled.filter(
    (a) =>
      a.cancelationReason?.text?.startsWith('Cancelled by the clinic') && Date.parse(a.start ?? '') > now.getTime(),
  );
  const declined = cancelled.filter(
    (a) => !a.start && a.cancelationReason?.text?.startsWith('Not booked by the clinic'),
  );
  const unseenCancels = await vault.unseen(patientId, 'Appointment', [...byClinic, ...declined].map(cancelKey));
  for (const a of byClinic.filter((x) => unseenCancels.has(cancelKey(x)))) {
    items.push({
      text: `Your appointment on ${visitTime(a.start!, zone).clinic} was cancelled by the clinic: ${a.cancelationReason!.text!.replace(/^Cancelled by the clinic:?\s*/, '')}`,
      href: '/appointments',
    });
  }
  for (const a of declined.filter((x) => unseenCancels.has(cancelKey(x)))) {
    items.push({
      text: `The clinic did not book your appointment request: ${a.cancelationReason!.text!.replace(/^Not booked by the clinic:?\s*/, '')}`,
      href: '/appointments',
    });
  }
  return { unreadMessages: unread.size, items };
}

/** The key a cancelled visit is "seen" under (the same visit may be booked and cancelled again later). */
export const cancelKey = (a: Appointment) => `${a.id}:${a.status}`;
