import { ApiProblem, portalFetch, readAnswer } from '../data/api.js';
import { portal } from '../data/portal.js';
import type { OutboxAction, OutboxItem, Vault } from './vault.js';

/**
 * What the person can send through the outbox, by name, and the request each becomes. Only this module turns an
 * action into a request (pages name the action, never a URL); the address comes from the typed API client, so a
 * renamed route breaks the typecheck (hono/client puts a path parameter in as it is: it is encoded here).
 * `forget`: nothing the person wrote, so once the server has answered (done, or refused) the item goes.
 */
const ACTIONS: Record<OutboxAction, { kind: OutboxItem['kind']; url: (item: OutboxItem) => URL; forget?: true }> = {
  'message.send': { kind: 'message', url: () => portal.api.messages.$url() },
  'message.read': {
    kind: 'read',
    url: (item) => portal.api.messages.threads[':id'].read.$url({ param: { id: encodeURIComponent(item.subject) } }),
    forget: true,
  },
  'refill.request': { kind: 'refill', url: () => portal.api.refills.$url() },
  'appointment.request': { kind: 'appointment', url: () => portal.api.appointments.requests.$url() },
  'record.exported': { kind: 'export', url: () => portal.api.records.exported.$url(), forget: true },
};

/** Items written by an earlier version of the app named their request by its path: the same actions. */
const LEGACY_PATHS: Record<string, OutboxAction> = {
  '/api/messages': 'message.send',
  '/api/refills': 'refill.request',
  '/api/appointments/requests': 'appointment.request',
};

/** The action an item stands for (also for an item stored before actions had names), or undefined. */
export function actionOf(item: { action?: OutboxAction; path?: string }): OutboxAction | undefined {
  return item.action ?? (item.path === undefined ? undefined : LEGACY_PATHS[item.path]);
}

/** What a page hands the outbox: the action, what it is about, how to show it, and the body to send. */
export type OutboxEntry = Pick<OutboxItem, 'action' | 'subject' | 'title' | 'body'>;

/**
 * The outbox (ARCHITECTURE.md; SECURITY.md "Reliability"): what the person sends is stored first, sealed, with a
 * client-made id, and shown as "sending"; it is then posted with that id as `Idempotency-Key`, so however often it
 * is retried (a lost answer, a reload, two tabs), the server carries it out once. An item the server refuses is
 * kept with the reason, to be changed or discarded, never dropped. The same `flush` runs in the page (on start,
 * on `online`, after each new item) and in the service worker on Background Sync (sw/outbox-send.ts).
 */
export async function enqueue(vault: Vault, entry: OutboxEntry): Promise<OutboxItem> {
  const full: OutboxItem = {
    ...entry,
    kind: ACTIONS[entry.action].kind,
    id: crypto.randomUUID(),
    createdAt: new Date().toISOString(),
    state: 'waiting',
  };
  await vault.putOutbox(full);
  return full;
}

export type FlushOutcome = 'sent' | 'refused' | 'waiting';

async function send(item: OutboxItem): Promise<{ outcome: FlushOutcome; problem?: string; response?: unknown }> {
  try {
    const action = actionOf(item);
    if (!action)
      return { outcome: 'refused', problem: 'This app no longer knows how to send this. Please write it again.' };
    const response = await portalFetch(ACTIONS[action].url(item), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': item.id },
      body: JSON.stringify(item.body),
    });
    return { outcome: 'sent', response: await readAnswer(response) };
  } catch (error) {
    if (!(error instanceof ApiProblem)) throw error;
    // Not yet: no connection (0), being carried out elsewhere (409 in progress), signed out (401), or the server is
    // struggling (5xx). Anything else is the server's refusal, kept with its reason.
    if (error.status === 0 || error.status === 401 || error.status >= 500 || error.code === 'request_in_progress')
      return { outcome: 'waiting' };
    // A refusal without the portal's own sentence (not a JSON answer) still says what happened.
    return {
      outcome: 'refused',
      problem: error.code === 'error' ? `The portal refused this (${error.status}).` : error.message,
    };
  }
}

/** Fired on window when items changed state (sent, refused): pages showing the outbox read it again. */
export const OUTBOX_CHANGE = 'mcl-outbox-change';

/** Every tab shows the same state: a change made by the tab that sent is announced to the others. */
const tabs = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('mcl-outbox');
tabs?.addEventListener('message', () => dispatchEvent(new Event(OUTBOX_CHANGE)));
function announce(): void {
  dispatchEvent(new Event(OUTBOX_CHANGE));
  tabs?.postMessage('changed');
}

/** How many items are on their way at once (items of one conversation or prescription always go in order). */
export const SEND_AT_ONCE = 4;

/**
 * Items that must reach the server in the order they were written: replies in one conversation, requests about
 * one prescription. A new conversation or an appointment request stands alone.
 */
export function sendingGroups(items: OutboxItem[]): OutboxItem[][] {
  const groups = new Map<string, OutboxItem[]>();
  for (const item of [...items].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const key = item.subject === 'new' || item.kind === 'appointment' ? item.id : `${item.kind}:${item.subject}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()];
}

/**
 * Sends every waiting item, one tab at a time (Web Locks); returns how many are still waiting. Up to SEND_AT_ONCE
 * groups go at once (a hundred items written on a trip arrive in seconds); within a group, an item that cannot go
 * yet holds back the ones written after it.
 */
export async function flush(vault: Vault): Promise<number> {
  return navigator.locks.request(`mcl-outbox-${vault.accountId}`, async () => {
    let changed = 0;
    let waiting = 0;
    const queue = sendingGroups((await vault.outboxItems()).filter((item) => item.state === 'waiting'));
    const sendGroup = async (group: OutboxItem[]) => {
      for (const [i, item] of group.entries()) {
        const result = await send(item);
        if (result.outcome === 'waiting') {
          waiting += group.length - i;
          return;
        }
        const action = actionOf(item);
        if (action && ACTIONS[action].forget) await vault.deleteOutbox(item.id);
        else
          await vault.putOutbox({
            ...item,
            state: result.outcome,
            ...(result.problem ? { problem: result.problem } : {}),
            ...(result.response ? { response: result.response } : {}),
          });
        changed++;
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(SEND_AT_ONCE, queue.length) }, async () => {
        for (let group = queue.shift(); group; group = queue.shift()) await sendGroup(group);
      }),
    );
    if (changed) announce();
    return waiting;
  });
}

/** The Background Sync tag that wakes the service worker to send the outbox when a connection is back. */
export const OUTBOX_SYNC_TAG = 'mcl-outbox';
/** The service worker's request to a tab for the open record's keys (answered on the message's port). */
export const LEND_VAULT_KEYS = 'mcl-lend-vault-keys';

/**
 * Asks the browser to wake the service worker once there is a connection again, so that what waits is sent even
 * if this tab is in the background by then. Where Background Sync does not exist the page sends on `online` and
 * at start instead. Returns whether it was registered.
 */
export async function requestBackgroundSend(): Promise<boolean> {
  const registration = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
  const sync = (
    registration as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined
  )?.sync;
  if (!sync) return false;
  return sync.register(OUTBOX_SYNC_TAG).then(
    () => true,
    () => false,
  );
}

/**
 * Stores what the person sent (first, sealed) and returns once it is stored; when online, what waits is then
 * sent in the background (OUTBOX_CHANGE tells the pages how it went). A failure to send leaves it waiting.
 */
export async function submit(vault: Vault, entry: OutboxEntry): Promise<OutboxItem> {
  const stored = await enqueue(vault, entry);
  tabs?.postMessage('changed');
  // Sent now when online; what could not go now is left to Background Sync (and to the page on `online`).
  void (navigator.onLine ? flush(vault) : Promise.resolve(1))
    .then((waiting) => (waiting ? requestBackgroundSend() : false))
    .catch(() => {});
  return stored;
}
