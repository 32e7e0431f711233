import Dexie, { RangeSet, type ObservabilitySet } from 'dexie';
import { codeIndex, open, seal, type VaultKeys } from '../data/vault-crypto.js';
import { resourceCode, resourceDate } from './fhir-index.js';
import type { StoredDraft, StoredOutboxItem, StoredResource, SyncState, VaultDb } from './vault-db.js';

/** The things a person can send through the outbox. */
export type OutboxAction =
  'message.send' | 'message.read' | 'refill.request' | 'appointment.request' | 'record.exported';

/** An outbox item as the page and the service worker read it (opened): what to post, where, and how it went. */
export interface OutboxItem {
  id: string;
  createdAt: string;
  state: StoredOutboxItem['state'];
  /**
   * 'read': a conversation opened (its read mark on its way to the server); 'export': a file made for another
   * clinic, on its way to the access log. No page lists these.
   */
  kind: 'refill' | 'message' | 'appointment' | 'read' | 'export';
  /** What it is about, for finding it again: the prescription id, a conversation id, or 'new' (a new conversation). */
  subject: string;
  /** How to show it in a list while it is on its way ("To Cardiology: Knee pain"). */
  title?: string;
  /** What to do with it when it is sent (client/record/outbox.ts turns the action into a request). */
  action: OutboxAction;
  body: unknown;
  /** The server's reason when it refused the item; the item is kept to be changed or discarded. */
  problem?: string;
  response?: unknown;
}

/** The kinds of resource that are "new until viewed" (results; messages, of which the care team's count). */
const NEWS = ['Observation', 'DiagnosticReport', 'Communication'];
/**
 * On a first download everything already there counts as seen, except the care team's recent replies: whether
 * those were read is the server's to say (Communication.received, set when any of the patient's devices opened
 * one), so a reply still unread shows as unread on a new device too. Older ones are history, as for refill news.
 */
const UNREAD_REPLY_DAYS = 30;

export interface LentVault {
  accountId: string;
  dbName: string;
  keys: VaultKeys;
}

/**
 * The account's local record, open: reads decrypt, writes encrypt. Made by `openVault` with the key-encryption key
 * of a signed-in session; dropping the object locks it (the keys live only in it).
 */
export class Vault {
  constructor(
    readonly db: VaultDb,
    private readonly keys: VaultKeys,
    readonly accountId: string,
    /** This device held this account's record before, and it is gone though nobody removed it: the browser evicted it. */
    readonly lostBefore = false,
  ) {}

  /**
   * What the service worker needs to send the outbox on Background Sync: the working keys (non-extractable
   * CryptoKeys, structured-cloned through a MessageChannel, never stored) and where the record is. See sw/outbox-send.ts.
   */
  lend(): LentVault {
    return { accountId: this.accountId, dbName: this.db.name, keys: this.keys };
  }

  /** A record repeats the same few hundred codes thousands of times: each code's HMAC is computed once. */
  private readonly codes = new Map<string, Promise<string>>();
  private codeOf(systemAndCode: string): Promise<string> {
    let index = this.codes.get(systemAndCode);
    if (!index) this.codes.set(systemAndCode, (index = codeIndex(this.keys, systemAndCode)));
    return index;
  }

  /**
   * Encrypts and stores resources of one patient, removes those that left the record, and moves the sync cursor,
   * all in one transaction (IndexedDB is fast in batches only, and a half-stored page must not advance the cursor).
   */
  async put(
    patientId: string,
    resources: Record<string, any>[],
    removed: { type: string; id: string }[] = [],
    state?: SyncState,
    markSeen = false,
  ): Promise<void> {
    await this.write(patientId, await this.seal(patientId, resources), removed, state, markSeen);
  }

  /**
   * The two halves of `put`, for callers that overlap them (the sync seals the next page while the last one is
   * written: WebCrypto and IndexedDB then work at the same time).
   */
  seal(patientId: string, resources: Record<string, any>[]): Promise<StoredResource[]> {
    return Promise.all(
      resources.map(async (r) => {
        const code = resourceCode(r);
        return {
          patientId,
          type: r.resourceType as string,
          id: r.id as string,
          date: resourceDate(r),
          code: code ? await this.codeOf(code) : '',
          ...(await seal(this.keys, r, `${r.resourceType}/${r.id}`)),
        };
      }),
    );
  }

  async write(
    patientId: string,
    rows: StoredResource[],
    removed: { type: string; id: string }[] = [],
    state?: SyncState,
    markSeen = false,
  ): Promise<void> {
    await this.db.transaction('rw', this.db.resources, this.db.sync, this.db.seen, async () => {
      if (rows.length) await this.db.resources.bulkPut(rows);
      if (markSeen) {
        const recent = new Date(Date.now() - UNREAD_REPLY_DAYS * 86_400_000).toISOString();
        await this.db.seen.bulkPut(
          rows
            .filter((r) => NEWS.includes(r.type) && (r.type !== 'Communication' || r.date < recent))
            .map(({ patientId, type, id }) => ({ patientId, type, id })),
        );
      }
      if (removed.length)
        await this.db.resources.bulkDelete(removed.map((r) => [patientId, r.type, r.id] as [string, string, string]));
      if (state) await this.db.sync.put(state);
    });
  }

  /** Forgets everything stored of one patient (resources, what was seen, the cursor): the next sync starts afresh. */
  async resetPatient(patientId: string): Promise<void> {
    await this.db.transaction('rw', this.db.resources, this.db.sync, this.db.seen, async () => {
      await this.db.resources
        .where('[patientId+type+id]')
        .between([patientId, Dexie.minKey, Dexie.minKey], [patientId, Dexie.maxKey, Dexie.maxKey])
        .delete();
      await this.db.seen
        .where('[patientId+type+id]')
        .between([patientId, Dexie.minKey, Dexie.minKey], [patientId, Dexie.maxKey, Dexie.maxKey])
        .delete();
      await this.db.sync.delete(patientId);
    });
  }

  private async decrypt<T>(rows: StoredResource[]): Promise<T[]> {
    return Promise.all(rows.map((row) => open<T>(this.keys, row, `${row.type}/${row.id}`)));
  }

  /** Resources of a type, newest first; `limit` for the first page. */
  async list<T = Record<string, any>>(patientId: string, type: string, limit?: number): Promise<T[]> {
    let query = this.db.resources
      .where('[patientId+type+date]')
      .between([patientId, type, Dexie.minKey], [patientId, type, Dexie.maxKey])
      .reverse();
    if (limit) query = query.limit(limit);
    return this.decrypt<T>(await query.toArray());
  }

  /** Every resource of the patient's local record, decrypted (an export of the whole record: client/record/export.ts). */
  async all<T = Record<string, any>>(patientId: string): Promise<T[]> {
    const rows = await this.db.resources
      .where('[patientId+type+date]')
      .between([patientId, Dexie.minKey, Dexie.minKey], [patientId, Dexie.maxKey, Dexie.maxKey])
      .toArray();
    return this.decrypt<T>(rows);
  }

  /** Resources of a type with the same code (a test's history), oldest first. */
  async byCode<T = Record<string, any>>(patientId: string, type: string, systemAndCode: string): Promise<T[]> {
    const code = await this.codeOf(systemAndCode);
    const rows = await this.db.resources.where('[patientId+type+code]').equals([patientId, type, code]).toArray();
    rows.sort((a, b) => a.date.localeCompare(b.date));
    return this.decrypt<T>(rows);
  }

  async get<T = Record<string, any>>(patientId: string, type: string, id: string): Promise<T | undefined> {
    const row = await this.db.resources.get([patientId, type, id]);
    return row ? (await this.decrypt<T>([row]))[0] : undefined;
  }

  count(patientId: string, type: string): Promise<number> {
    return this.db.resources
      .where('[patientId+type+date]')
      .between([patientId, type, Dexie.minKey], [patientId, type, Dexie.maxKey])
      .count();
  }

  /**
   * A sign of change for a live query (client/record/live-query.ts): reads, with Dexie only (nothing decrypted),
   * what a record page shows: the patient's resources, what they have opened here (`seen`) and the outbox. Dexie
   * runs it again after every write that touches any of them (a sync's page, a reply opened, an item sent, a row
   * written by another tab or the worker), and each run gives a new object: the page then reads what it shows
   * again. The sync cursor is left out on purpose: it moves only with resources, except in a sync that found
   * nothing new, which (every 45 s) must not make every open page read and decrypt everything again.
   */
  async changes(patientId: string): Promise<{ resources: number; seen: number; outbox: number }> {
    const resources = await this.db.resources
      .where('[patientId+type+date]')
      .between([patientId, Dexie.minKey, Dexie.minKey], [patientId, Dexie.maxKey, Dexie.maxKey])
      .count();
    const seen = await this.db.seen
      .where('[patientId+type+id]')
      .between([patientId, Dexie.minKey, Dexie.minKey], [patientId, Dexie.maxKey, Dexie.maxKey])
      .count();
    const outbox = await this.db.outbox.count();
    return { resources, seen, outbox };
  }

  /** Results not opened yet ("new until viewed"), by id. */
  async unseen(patientId: string, type: string, ids: string[]): Promise<Set<string>> {
    // One read of the keys seen for this kind (a key range), not one request per id: a record of hundreds of
    // results otherwise held the page's main thread for most of 100 ms after a first sync.
    const keys = await this.db.seen
      .where('[patientId+type+id]')
      .between([patientId, type, ''], [patientId, type, '\uffff'])
      .primaryKeys();
    const seen = new Set(keys.map((k) => k[2]));
    return new Set(ids.filter((id) => !seen.has(id)));
  }

  /** Marks ids opened. Only new ones are written: pages mark on every reading, and a write makes them read again. */
  async markSeen(patientId: string, type: string, ids: string[]): Promise<void> {
    const fresh = await this.unseen(patientId, type, ids);
    if (fresh.size) await this.db.seen.bulkPut([...fresh].map((id) => ({ patientId, type, id })));
  }

  async saveDraft(key: string, text: string): Promise<void> {
    if (!text) return void (await this.db.drafts.delete(key));
    await this.putOnDisk('drafts', {
      key,
      savedAt: new Date().toISOString(),
      ...(await seal(this.keys, text, `draft/${key}`)),
    });
  }

  async draft(key: string): Promise<string | undefined> {
    const row = await this.db.drafts.get(key);
    return row ? open<string>(this.keys, row, `draft/${key}`) : undefined;
  }

  deleteDraft(key: string): Promise<void> {
    return this.db.drafts.delete(key);
  }

  async putOutbox(item: OutboxItem): Promise<void> {
    const { id, createdAt, state } = item;
    const row = { id, createdAt, state, ...(await seal(this.keys, item, `outbox/${id}`)) };
    // Not yet at the server: only this device has it. Once answered, the server has it (or will say the same again).
    if (state === 'waiting') await this.putOnDisk('outbox', row);
    else await this.db.outbox.put(row);
  }

  /**
   * What the person wrote (an outbox item, a draft) is reported saved only once it is on disk: a `strict`
   * transaction. Chromium's default is `relaxed` (done when handed to the operating system), which a power cut
   * or a crash of the phone right after "Waiting for a connection" could lose. The record itself is a copy of the
   * server's and stays relaxed (an interrupted page is fetched again: its cursor is in the same transaction).
   */
  private async putOnDisk(store: 'outbox' | 'drafts', row: StoredOutboxItem | StoredDraft): Promise<void> {
    if (!this.db.isOpen()) await this.db.open();
    const tx = this.db.backendDB().transaction(store, 'readwrite', { durability: 'strict' });
    tx.objectStore(store).put(row);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = tx.onerror = () =>
        reject(tx.error ?? new DOMException('The write was not completed.', 'AbortError'));
    });
    // Dexie did not make this write, so it tells its live queries (here, in other tabs, in the worker) itself,
    // naming what changed the way Dexie's own writes do: the table's primary key and, for the outbox, its index.
    const parts: ObservabilitySet = {};
    const part = (index: string, key: string) => (parts[`idb://${this.db.name}/${store}/${index}`] = new RangeSet(key));
    if ('id' in row) {
      part('', row.id);
      part('createdAt', row.createdAt);
    } else part('', row.key);
    Dexie.on.storagemutated.fire(parts);
  }

  /** What waits to be sent, oldest first. A row that does not open with this record's keys is left aside. */
  async outboxItems(): Promise<OutboxItem[]> {
    const rows = await this.db.outbox.orderBy('createdAt').toArray();
    const items = await Promise.all(
      rows.map((row) => open<OutboxItem>(this.keys, row, `outbox/${row.id}`).catch(() => undefined)),
    );
    return items.filter((item): item is OutboxItem => item !== undefined);
  }

  deleteOutbox(id: string): Promise<void> {
    return this.db.outbox.delete(id);
  }

  syncState(patientId: string): Promise<SyncState | undefined> {
    return this.db.sync.get(patientId);
  }
}
