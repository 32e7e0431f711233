import type { Communication, MedicationRequest, Task } from 'fhir/r4';
import type { Vault } from '../../data/vault.js';
import { conversations, fromPatient } from '../messages/conversations.js';
import { medicationName } from './fhir-display.js';

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
 * The in-app notifications: replies from the care team not yet opened, and refill decisions not yet seen on
 * Medications. Read from the local record, like everything on Home.
 */
export async function news(vault: Vault, patientId: string, now = new Date()): Promise<{ unreadMessages: number; items: NewsItem[] }> {
  const messages = await vault.list<Communication>(patientId, 'Communication');
  const unseen = await vault.unseen(patientId, 'Communication', messages.filter((m) => !fromPatient(m)).map((m) => m.id!));
  const items: NewsItem[] = conversations(messages, unseen)
    .filter((c) => c.unread)
    .map((c) => ({ text: `New reply from ${c.messages.filter((m) => !fromPatient(m)).at(-1)?.sender?.display ?? c.team}: ${c.subject}`, href: `/messages/conversation?id=${encodeURIComponent(c.id)}` }));
  const since = now.getTime() - NEWS_DAYS * 86_400_000;
  const decided = (await vault.list<Task>(patientId, 'Task')).filter((t) => DECIDED[t.status] && Date.parse(t.lastModified ?? t.authoredOn ?? '') >= since);
  const fresh = await vault.unseen(patientId, 'Task', decided.map(decisionKey));
  for (const t of decided.filter((d) => fresh.has(decisionKey(d)))) {
    const medId = t.focus?.reference?.replace(/^MedicationRequest\//, '') ?? '';
    const med = await vault.get<MedicationRequest>(patientId, 'MedicationRequest', medId);
    items.push({ text: `Your request for ${med ? medicationName(med) : 'a prescription'} was ${DECIDED[t.status]}${t.status === 'rejected' && t.statusReason?.text ? `: ${t.statusReason.text}` : '.'}`, href: '/records/medications' });
  }
  return { unreadMessages: unseen.size, items };
}
