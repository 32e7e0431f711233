import { CSRF_HEADER, CSRF_HEADER_VALUE } from './api.js';
import type { OutboxItem, Vault } from './vault.js';

/**
 * The outbox (ARCHITECTURE.md; SECURITY.md "Reliability"): what the person sends is stored first, sealed, with a
 * client-made id, and shown as "sending"; it is then posted with that id as `Idempotency-Key`, so however often it
 * is retried (a lost answer, a reload, two tabs), the server carries it out once. An item the server refuses is
 * kept with the reason, to be changed or discarded, never dropped. This page-side flush runs while online; [8/8]
 * adds sending from the service worker after being offline.
 */
export async function enqueue(vault: Vault, item: Omit<OutboxItem, 'id' | 'createdAt' | 'state'>): Promise<OutboxItem> {
  const full: OutboxItem = { ...item, id: crypto.randomUUID(), createdAt: new Date().toISOString(), state: 'waiting' };
  await vault.putOutbox(full);
  return full;
}

export type FlushOutcome = 'sent' | 'refused' | 'waiting';

async function send(item: OutboxItem): Promise<{ outcome: FlushOutcome; problem?: string; response?: unknown }> {
  let res: Response;
  try {
    res = await fetch(item.path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': item.id, [CSRF_HEADER]: CSRF_HEADER_VALUE },
      body: JSON.stringify(item.body),
    });
  } catch {
    return { outcome: 'waiting' }; // no connection: try again later
  }
  const body = (await res.json().catch(() => ({}))) as { message?: string; error?: string };
  if (res.ok) return { outcome: 'sent', response: body };
  // Not yet: being carried out elsewhere (409 in progress), signed out (401), or the server is struggling (5xx).
  if (res.status === 401 || res.status >= 500 || body.error === 'request_in_progress') return { outcome: 'waiting' };
  return { outcome: 'refused', problem: body.message ?? `The portal refused this (${res.status}).` };
}

/** Sends every waiting item, one tab at a time (Web Locks); returns how many are still waiting. */
export async function flush(vault: Vault): Promise<number> {
  return navigator.locks.request(`mcl-outbox-${vault.accountId}`, async () => {
    let waiting = 0;
    for (const item of await vault.outboxItems()) {
      if (item.state !== 'waiting') continue;
      const result = await send(item);
      if (result.outcome === 'waiting') {
        waiting++;
        continue;
      }
      await vault.putOutbox({ ...item, state: result.outcome, ...(result.problem ? { problem: result.problem } : {}), ...(result.response ? { response: result.response } : {}) });
    }
    return waiting;
  });
}
