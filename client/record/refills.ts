import type { MedicationRequest, Task } from 'fhir/r4';
import type { OutboxItem } from './vault.js';

/** The states of a refill request (Task) in which it is still open: no second request meanwhile. */
export const OPEN = ['draft', 'requested', 'received', 'accepted', 'in-progress', 'ready', 'on-hold'];

/** A refill request's state in the patient's words. */
export const STATUS: Record<string, string> = {
  requested: 'requested, waiting for your care team',
  received: 'received by your care team',
  accepted: 'approved',
  'in-progress': 'being prepared',
  ready: 'ready to collect',
  rejected: 'denied',
  completed: 'done',
  cancelled: 'cancelled',
};

/** The newest refill request (Task) for each prescription. */
export function latestRequests(tasks: Task[]): Map<string, Task> {
  const map = new Map<string, Task>();
  for (const t of tasks) {
    const id = t.focus?.reference?.replace(/^MedicationRequest\//, '');
    if (id && (!map.has(id) || String(t.authoredOn) > String(map.get(id)!.authoredOn))) map.set(id, t);
  }
  return map;
}

/** No refills left: what is asked for is a renewal of the prescription. */
export const isRenewal = (m: MedicationRequest) => m.dispenseRequest?.numberOfRepeatsAllowed === 0;

/**
 * A sent request that is now in the record (the server answered with its Task, and the sync brought it): the
 * outbox item is done. An item sent by an older version, without the answer, is done once any request is there.
 */
export function arrived(item: OutboxItem, tasks: Task[]): boolean {
  const id = (item.response as { task?: { id?: string } } | undefined)?.task?.id;
  return id
    ? tasks.some((t) => t.id === id)
    : tasks.some((t) => t.focus?.reference === `MedicationRequest/${item.subject}`);
}

/** Where one prescription's refill stands, from the outbox (what this device sent) and the record. */
export type RefillState =
  | { state: 'waiting' | 'refused' | 'sent'; item: OutboxItem }
  | { state: 'open'; task: Task }
  /** Nothing open: a new request may be made; `last` is the last one, decided. */
  | { state: 'none'; last?: Task };

export function refillState(m: MedicationRequest, outbox: OutboxItem[], requests: Map<string, Task>): RefillState {
  const mine = outbox.filter((i) => i.kind === 'refill' && i.subject === m.id);
  const pending = mine.filter((i) => i.state !== 'sent').at(-1);
  if (pending) return { state: pending.state as 'waiting' | 'refused', item: pending };
  const task = requests.get(m.id!);
  const sent = mine.at(-1);
  if (sent) return { state: 'sent', item: sent };
  if (task && OPEN.includes(task.status)) return { state: 'open', task };
  return { state: 'none', ...(task ? { last: task } : {}) };
}
