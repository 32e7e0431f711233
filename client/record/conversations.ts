import type { Communication } from 'fhir/r4';
import type { OutboxItem } from './vault.js';

/** A conversation with the care team: its first message and the replies, oldest first. */
export interface Conversation {
  id: string;
  subject: string;
  /** Who the patient wrote to (a department, a care team or a clinician). */
  team: string;
  messages: Communication[];
  lastAt: string;
  /** Messages from the care team the patient has not opened yet. */
  unread: number;
  /** The last word was the care team's. */
  answered: boolean;
}

export interface FileRef {
  binaryId: string;
  title: string;
  contentType: string;
  size: number;
}

export const fromPatient = (m: Communication) => m.sender?.reference?.startsWith('Patient/') ?? false;
export const threadOf = (m: Communication) => m.inResponseTo?.[0]?.reference?.replace(/^Communication\//, '') ?? m.id!;
export const textOf = (m: Communication) => m.payload?.find((p) => p.contentString !== undefined)?.contentString ?? '';

export function filesOf(m: Communication): FileRef[] {
  return (m.payload ?? []).flatMap((p) => {
    const a = p.contentAttachment;
    return a?.url?.startsWith('Binary/')
      ? [
          {
            binaryId: a.url.slice('Binary/'.length),
            title: a.title ?? 'attachment',
            contentType: a.contentType ?? '',
            size: a.size ?? 0,
          },
        ]
      : [];
  });
}

export function documentsOf(m: Communication): { id: string; title: string }[] {
  return (m.payload ?? []).flatMap((p) =>
    p.contentReference?.reference?.startsWith('DocumentReference/')
      ? [
          {
            id: p.contentReference.reference.slice('DocumentReference/'.length),
            title: p.contentReference.display ?? 'Document',
          },
        ]
      : [],
  );
}

/** The record's messages as conversations, the most recent first; `unseen`: ids of messages not opened yet. */
export function conversations(messages: Communication[], unseen: Set<string>): Conversation[] {
  const byThread = new Map<string, Communication[]>();
  for (const m of messages) {
    const id = threadOf(m);
    byThread.set(id, [...(byThread.get(id) ?? []), m]);
  }
  const out: Conversation[] = [];
  for (const [id, list] of byThread) {
    list.sort((a, b) => Number(b.id === id) - Number(a.id === id) || String(a.sent).localeCompare(String(b.sent)));
    const first = list[0]!;
    const last = list.at(-1)!;
    out.push({
      id,
      subject: first.topic?.text ?? 'Message',
      team: (fromPatient(first) ? first.recipient?.[0]?.display : first.sender?.display) ?? 'Your care team',
      messages: list,
      lastAt: String(last.sent ?? ''),
      unread: list.filter((m) => !fromPatient(m) && unseen.has(m.id!)).length,
      answered: !fromPatient(last),
    });
  }
  return out.sort((a, b) => b.lastAt.localeCompare(a.lastAt));
}

/** A sent item is done once the message it made is in the local record. */
export function deliveredMessageId(item: OutboxItem): string | undefined {
  return (item.response as { message?: { id?: string } } | undefined)?.message?.id;
}
