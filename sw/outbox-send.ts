/// <reference lib="webworker" />
import { flush, LEND_VAULT_KEYS, OUTBOX_SYNC_TAG } from '../client/record/outbox.js';
import { Vault, type LentVault } from '../client/record/vault.js';
import { VaultDb } from '../client/record/vault-db.js';

declare const self: ServiceWorkerGlobalScope;

/** How long a tab has to answer; a frozen or closing tab never does. */
const ASK_MS = 3000;

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}

/** Asks one tab for the open record's keys; undefined when it has none open (locked, signed out) or is silent. */
function ask(client: Client): Promise<LentVault | undefined> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(undefined), ASK_MS);
    channel.port1.onmessage = (event: MessageEvent<LentVault | null>) => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(event.data ?? undefined);
    };
    client.postMessage({ type: LEND_VAULT_KEYS }, [channel.port2]);
  });
}

/** The keys of a tab that has the record open now (the first that answers with them). */
export async function borrowKeys(): Promise<LentVault | undefined> {
  const tabs = await self.clients.matchAll({ type: 'window', includeUncontrolled: false });
  const answers = await Promise.all(tabs.map(ask));
  return answers.find((a) => a !== undefined);
}

/**
 * Sends the outbox on Background Sync (ARCHITECTURE.md; SECURITY.md "Data on the device"). The choice of key
 * (issue [8/8]): the service worker holds the vault's working keys only while the app is unlocked, and only for
 * the duration of one send: it borrows them from an open tab (non-extractable CryptoKeys), opens the sealed items,
 * sends them through the same `flush` as the page (Idempotency-Key, Web Lock, refusals kept with their reason),
 * seals their new state, and drops the keys when the send ends. Nothing usable is ever stored, and a locked or
 * closed app cannot be read even by its own service worker. What it cannot send then (no tab has the record open,
 * or the session has ended) waits in the outbox for the page, which sends at the next unlock and on `online`.
 */
export async function sendOutbox(lastChance: boolean): Promise<void> {
  const lent = await borrowKeys();
  if (!lent) return; // the page sends when the record is opened again
  const db = new VaultDb(lent.dbName);
  // "Sign out and remove my data" (or a kiosk's timeout) deletes the database: this connection then closes for
  // good, and the send stops, rather than reopening (and so recreating) the database with what it was writing.
  db.on('versionchange', () => {
    db.close({ disableAutoOpen: true });
    return false;
  });
  let waiting: number;
  try {
    await db.open();
    if ((await db.meta.get('vault'))?.accountId !== lent.accountId) return;
    waiting = await flush(new Vault(db, lent.keys, lent.accountId));
  } finally {
    db.close({ disableAutoOpen: true });
  }
  // Still not through (the connection dropped again, the server is struggling): the browser tries again later.
  if (waiting > 0 && !lastChance) throw new Error(`${waiting} item(s) still waiting`);
}

self.addEventListener('sync', (event) => {
  const sync = event as SyncEvent;
  if (sync.tag === OUTBOX_SYNC_TAG) sync.waitUntil(sendOutbox(sync.lastChance));
});
