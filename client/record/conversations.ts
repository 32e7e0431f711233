import type { Communication } from 'fhir/r4';
import type { OutboxItem, Vault } from './vault.js';
import { submit } from './outbox.js';
import { onBehalfOf } from '../../common/on-behalf.js';

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

/** Who reads a conversation: the signed-in account, and whether the record is their own or a person's they help. */
export interface Reader {
  accountId: string;
  self: boolean;
  /** The name of the person whose record it is. */
  patientName: string;
}

/**
 * Who wrote a message, in the reader's words ([3/11]): the care team by name; the patient's side as "You", the
 * patient's name, or "<caregiver>, for <patient>" when a caregiver wrote it for them (the on-behalf extension).
 */
export function authorOf(m: Communication, reader: Reader): string {
  if (!fromPatient(m)) return m.sender?.display ?? 'Your care team';
  const by = onBehalfOf(m);
  if (!by) return reader.self ? 'You' : reader.patientName;
  if (by.accountId && by.accountId === reader.accountId) return reader.self ? 'You' : `You, for ${reader.patientName}`;
  return `${by.name}, for ${reader.self ? 'you' : reader.patientName}`;
}
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

/**
 * The care team's replies (ids) the patient has not opened: not read on the server (Communication.received: set
 * when any of their devices opened it) nor on this device (`seen`: opened here, the read mark perhaps still in the
 * outbox). The patient's own messages are never unread.
 */
export async function unreadReplies(vault: Vault, patientId: string, messages: Communication[]): Promise<Set<string>> {
  return vault.unseen(
    patientId,
    'Communication',
    messages.filter((m) => !fromPatient(m) && !m.received).map((m) => m.id!),
  );
}

/** How many replies from the care team are unread (the navigation's count, Home's "Messages" line). */
export async function unreadCount(vault: Vault, patientId: string): Promise<number> {
  return (await unreadReplies(vault, patientId, await vault.list<Communication>(patientId, 'Communication'))).size;
}

/**
 * A conversation opened, showing `messages`: read here at once, and the server told (through the outbox, so
 * offline too) up to the last reply shown, so the patient's other devices learn it from the record feed. Returns
 * the reply it was marked read up to, or undefined when the server already had it all (or there are no replies);
 * an identical mark still waiting to be sent is not queued twice.
 */
export async function markRead(
  vault: Vault,
  patientId: string,
  conversation: Pick<Conversation, 'id' | 'subject' | 'messages'>,
): Promise<string | undefined> {
  const { id, messages } = conversation;
  await vault.markSeen(
    patientId,
    'Communication',
    messages.map((m) => m.id!),
  );
  const replies = messages.filter((m) => !fromPatient(m));
  const last = replies.reduce<Communication | undefined>(
    (a, m) => (!a || String(m.sent ?? '') >= String(a.sent ?? '') ? m : a),
    undefined,
  );
  if (!last || replies.every((m) => m.received)) return undefined;
  const queued = (await vault.outboxItems()).some(
    (i) =>
      i.action === 'message.read' &&
      i.state === 'waiting' &&
      i.subject === id &&
      (i.body as { upTo?: string }).upTo === last.id,
  );
  if (!queued)
    await submit(vault, {
      action: 'message.read',
      subject: id,
      title: `Read: ${conversation.subject}`,
      body: { upTo: last.id! },
    });
  return last.id;
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
