import Dexie from 'dexie';
import { importKek, newWrappedSecret, unwrapVaultKeys } from '../data/vault-crypto.js';
import { KEPT_MARK } from './unlocked-keys.js';
import { forgetRecordMarks, forgetUnlockWays } from './unlock-ways.js';
import { pageStorage, VAULT_DB } from './vault-name.js';
import { VaultDb, type VaultMeta } from './vault-db.js';
import { Vault } from './vault.js';

/**
 * Opens the local record of `accountId` with the KEK's raw bytes. The first time on a device (or for another
 * account than the one stored) a new vault is made: what another account left here is deleted first.
 * `make: false` (the sync worker): only an existing record is opened, never made, replaced or deleted. Only the
 * page makes one: it alone can tell an evicted record (the localStorage mark), and a worker of a page that is
 * going away must not make a new secret behind the next page's back.
 */
export class NoRecordHere extends Error {}
export async function openVault(
  accountId: string,
  kekRaw: Uint8Array,
  name = VAULT_DB,
  retry = true,
  make = true,
): Promise<Vault> {
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
    const made: VaultMeta = {
      key: 'vault',
      accountId,
      createdAt: new Date().toISOString(),
      ...(await newWrappedSecret(kek)),
    };
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
