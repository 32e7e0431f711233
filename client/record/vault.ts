import Dexie, { type Table } from 'dexie';
import { codeIndex, importKek, newWrappedSecret, open, seal, unwrapVaultKeys, type VaultKeys, type Wrapped } from '../data/vault-crypto.js';
import { resourceCode, resourceDate } from './fhir-index.js';
import { KEPT_MARK } from './unlocked-keys.js';
import { forgetRecordMarks, forgetUnlockWays } from './unlock-ways.js';

export { VAULT_DB } from './vault-name.js';
import { pageStorage, VAULT_DB } from './vault-name.js';

/** One resource as stored: index fields in the clear (patient, type, id, date, opaque code), the rest sealed. */
export interface StoredResource {
  patientId: string;
  type: string;
  id: string;
  date: string;
  code: string;
  iv: Uint8Array;
  data: ArrayBuffer;
}

export interface VaultMeta extends Wrapped {
  key: 'vault';
  /** The account this device copy belongs to: another account signing in here starts from an empty vault. */
  accountId: string;
  createdAt: string;
}

export interface SyncState {
  patientId: string;
  /** The feed cursor: the last change stored. */
  cursor: number;
  lastSyncAt: string;
}

/** The local database (Dexie: one versioned schema class). */
export interface StoredDraft {
  /** Where it was typed: the page and the field. */
  key: string;
  iv: Uint8Array;
  data: ArrayBuffer;
  savedAt: string;
}

/** One outbox item: its id is the Idempotency-Key; only its state and time are in the clear. */
export interface StoredOutboxItem {
  id: string;
  createdAt: string;
  state: 'waiting' | 'sent' | 'refused';
  iv: Uint8Array;
  data: ArrayBuffer;
}

export interface OutboxItem {
  id: string;
  createdAt: string;
  state: StoredOutboxItem['state'];
  kind: 'refill' | 'message' | 'appointment';
  /** What it is about, for finding it again: the prescription id, a conversation id, or 'new' (a new conversation). */
  subject: string;
  /** How to show it in a list while it is on its way ("To Cardiology: Knee pain"). */
  title?: string;
  path: string;
  body: unknown;
  /** The server's reason when it refused the item; the item is kept to be changed or discarded. */
  problem?: string;
  response?: unknown;
}

/** The record's key sealed under a device PIN (client/record/offline-unlock.ts). */
export interface PinWrapped {
  key: 'pin';
  salt: Uint8Array;
  iterations: number;
  iv: Uint8Array;
  /** AES-GCM of { kek (base64url), account } under the PIN-derived key: nothing readable without the PIN. */
  data: ArrayBuffer;
  failures: number;
  createdAt: string;
}

/** The record's key sealed under a passkey's PRF output (client/record/passkey-unlock.ts). */
export interface PrfWrapped {
  key: 'prf';
  credentialId: string;
  /** The PRF input ("salt") asked of the authenticator; the HKDF salt. */
  prfSalt: Uint8Array;
  hkdfSalt: Uint8Array;
  iv: Uint8Array;
  data: ArrayBuffer;
  createdAt: string;
}

export class VaultDb extends Dexie {
  resources!: Table<StoredResource, [string, string, string]>;
  meta!: Table<VaultMeta, string>;
  sync!: Table<SyncState, string>;
  /** Results the patient has opened ("new until viewed"): ids only. */
  seen!: Table<{ patientId: string; type: string; id: string }, [string, string, string]>;
  /** What the person was typing (WCAG 2.2.5: it survives a timeout), sealed like everything else. */
  drafts!: Table<StoredDraft, string>;
  /** What the person sent and the server has not yet confirmed (ARCHITECTURE.md: the outbox), sealed. */
  outbox!: Table<StoredOutboxItem, string>;
  /** Opening the record without a connection ([8/8]): the key sealed under a device PIN, and the wrong tries. */
  unlock!: Table<PinWrapped, string>;
  /** The same, sealed under a passkey's PRF output instead of a PIN. */
  prfUnlock!: Table<PrfWrapped, string>;

  constructor(name = VAULT_DB) {
    super(name);
    this.version(1).stores({
      resources: '[patientId+type+id], [patientId+type+date], [patientId+type+code]',
      meta: 'key',
      sync: 'patientId',
      seen: '[patientId+type+id]',
    });
    this.version(2).stores({ drafts: 'key' });
    this.version(3).stores({ outbox: 'id, createdAt' });
    this.version(4).stores({ unlock: 'key', prfUnlock: 'key' });
  }
}

/** The kinds of resource that are "new until viewed" (results; messages, of which the care team's count). */
const NEWS = ['Observation', 'DiagnosticReport', 'Communication'];

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
  async put(patientId: string, resources: Record<string, any>[], removed: { type: string; id: string }[] = [], state?: SyncState, markSeen = false): Promise<void> {
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

  async write(patientId: string, rows: StoredResource[], removed: { type: string; id: string }[] = [], state?: SyncState, markSeen = false): Promise<void> {
    await this.db.transaction('rw', this.db.resources, this.db.sync, this.db.seen, async () => {
      if (rows.length) await this.db.resources.bulkPut(rows);
      if (markSeen) await this.db.seen.bulkPut(rows.filter((r) => NEWS.includes(r.type)).map(({ patientId, type, id }) => ({ patientId, type, id })));
      if (removed.length) await this.db.resources.bulkDelete(removed.map((r) => [patientId, r.type, r.id] as [string, string, string]));
      if (state) await this.db.sync.put(state);
    });
  }

  private async decrypt<T>(rows: StoredResource[]): Promise<T[]> {
    return Promise.all(rows.map((row) => open<T>(this.keys, row, `${row.type}/${row.id}`)));
  }

  /** Resources of a type, newest first; `limit` for the first page. */
  async list<T = Record<string, any>>(patientId: string, type: string, limit?: number): Promise<T[]> {
    let query = this.db.resources.where('[patientId+type+date]').between([patientId, type, Dexie.minKey], [patientId, type, Dexie.maxKey]).reverse();
    if (limit) query = query.limit(limit);
    return this.decrypt<T>(await query.toArray());
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
    return this.db.resources.where('[patientId+type+date]').between([patientId, type, Dexie.minKey], [patientId, type, Dexie.maxKey]).count();
  }

  /** Results not opened yet ("new until viewed"), by id. */
  async unseen(patientId: string, type: string, ids: string[]): Promise<Set<string>> {
    // One read of the keys seen for this kind (a key range), not one request per id: a record of hundreds of
    // results otherwise held the page's main thread for most of 100 ms after a first sync.
    const keys = await this.db.seen.where('[patientId+type+id]').between([patientId, type, ''], [patientId, type, '\uffff']).primaryKeys();
    const seen = new Set(keys.map((k) => k[2]));
    return new Set(ids.filter((id) => !seen.has(id)));
  }

  async markSeen(patientId: string, type: string, ids: string[]): Promise<void> {
    await this.db.seen.bulkPut(ids.map((id) => ({ patientId, type, id })));
  }

  async saveDraft(key: string, text: string): Promise<void> {
    if (!text) return void (await this.db.drafts.delete(key));
    await this.putOnDisk('drafts', { key, savedAt: new Date().toISOString(), ...(await seal(this.keys, text, `draft/${key}`)) });
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
      tx.onabort = tx.onerror = () => reject(tx.error ?? new DOMException('The write was not completed.', 'AbortError'));
    });
  }

  /** What waits to be sent, oldest first. A row that does not open with this record's keys is left aside. */
  async outboxItems(): Promise<OutboxItem[]> {
    const rows = await this.db.outbox.orderBy('createdAt').toArray();
    const items = await Promise.all(rows.map((row) => open<OutboxItem>(this.keys, row, `outbox/${row.id}`).catch(() => undefined)));
    return items.filter((item): item is OutboxItem => item !== undefined);
  }

  deleteOutbox(id: string): Promise<void> {
    return this.db.outbox.delete(id);
  }

  syncState(patientId: string): Promise<SyncState | undefined> {
    return this.db.sync.get(patientId);
  }
}

/**
 * Opens the local record of `accountId` with the KEK's raw bytes. The first time on a device (or for another
 * account than the one stored) a new vault is made: what another account left here is deleted first.
 * `make: false` (the sync worker): only an existing record is opened, never made, replaced or deleted. Only the
 * page makes one: it alone can tell an evicted record (the localStorage mark), and a worker of a page that is
 * going away must not make a new secret behind the next page's back.
 */
export class NoRecordHere extends Error {}
export async function openVault(accountId: string, kekRaw: Uint8Array, name = VAULT_DB, retry = true, make = true): Promise<Vault> {
  const kek = await importKek(kekRaw);
  const kept = spare.get(name);
  spare.delete(name);
  let db = kept?.isOpen() ? kept : new VaultDb(name);
  let meta = await db.meta.get('vault');
  if (!make && meta?.accountId !== accountId) {
    db.close();
    throw new NoRecordHere('This device has no local record of this account open: the app opens it first.');
  }
  if (meta && meta.accountId !== accountId) {
    db.close();
    await Dexie.delete(name);
    db = new VaultDb(name);
    meta = undefined;
  }
  let lost = false;
  if (!meta) {
    // A device that kept this account's record (the mark) but has no vault now lost it to the browser's eviction.
    lost = keptMark(name) === accountId;
    const made: VaultMeta = { key: 'vault', accountId, createdAt: new Date().toISOString(), ...(await newWrappedSecret(kek)) };
    // `add`, not `put`: if another opener (the sync worker, another tab) made the vault meanwhile, its secret is
    // the one, and this one is dropped. Two secrets would each encrypt part of the record.
    meta = await db.meta.add(made).then(
      () => made,
      async (error: unknown) => {
        const theirs = await db.meta.get('vault');
        if (!theirs) throw error;
        return theirs;
      },
    );
    setKeptMark(name, accountId);
  }
  try {
    return new Vault(db, await unwrapVaultKeys(meta, kek), accountId, lost);
  } catch (error) {
    if (!retry || !make) throw error;
    // The stored secret does not open with this key (the server's key was replaced): start again, resync.
    db.close();
    setKeptMark(name, undefined);
    await Dexie.delete(name);
    return openVault(accountId, kekRaw, name, false);
  }
}

/**
 * A connection that unlocking (PIN, passkey) already opened, kept for the `openVault` that follows, so the record
 * opens without connecting to the database a second time (the offline cold start). One per database; one left
 * unused closes itself when the database is deleted (Dexie closes on versionchange).
 */
const spare = new Map<string, VaultDb>();
export function keepForOpening(db: VaultDb): void {
  const earlier = spare.get(db.name);
  if (earlier && earlier !== db) earlier.close();
  spare.set(db.name, db);
}

/** "Sign out and remove my data from this device": the whole local database goes (and the mark that it was kept). */
export function wipeVault(name = VAULT_DB): Promise<void> {
  setKeptMark(name, undefined);
  spare.get(name)?.close();
  spare.delete(name);
  return Dexie.delete(name);
}

/**
 * Which account's record this device keeps, remembered outside IndexedDB (localStorage: an opaque account id, no
 * health data), so that a vault that vanished without "remove my data" is noticed as evicted. Pages only: a
 * worker has no localStorage and never makes the first vault (the page opens it before the first sync).
 */
const markKey = (name: string) => `${KEPT_MARK}${name}`;
function keptMark(name: string): string | null {
  return pageStorage()?.getItem(markKey(name)) ?? null;
}
function setKeptMark(name: string, accountId: string | undefined): void {
  if (!accountId) return forgetRecordMarks(name);
  // A new record: no way to open it offline yet.
  pageStorage()?.setItem(markKey(name), accountId);
  forgetUnlockWays(name);
}
