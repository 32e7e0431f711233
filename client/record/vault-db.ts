import Dexie, { type Table } from 'dexie';
import type { Wrapped } from '../data/vault-crypto.js';
import { VAULT_DB } from './vault-name.js';

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
  /**
   * For another person's record ([3/11]): the scopes the feed was filtered by. When they change, what is here no
   * longer matches what may be shown: the copy of that person starts again from the beginning.
   */
  scopes?: string;
}

/** A draft as stored: sealed under its page and field. */
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

/** The local database (Dexie: one versioned schema class). */
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
    // No query cache: some writes bypass Dexie (Vault.putOnDisk, for their durability) and only announce
    // themselves, which would leave a cached live-query result stale.
    super(name, { cache: 'disabled' });
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
