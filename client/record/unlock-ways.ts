import { pageStorage, VAULT_DB } from './vault-name.js';
import { KEPT_MARK } from './unlocked-keys.js';

export interface UnlockWays {
  pin: boolean;
  passkey: boolean;
}

/**
 * What the last look found, kept in localStorage (two flags, no health data), so the sign-in page can offer
 * unlocking in its first paint; the look at the database that follows corrects it. Forgotten whenever the ways
 * change (a PIN or passkey set up or removed, the record wiped). Pages only: a worker has no localStorage.
 */
const HINT = 'mcl-unlock-ways:';
export function lastKnownUnlockWays(name = VAULT_DB): UnlockWays | undefined {
  const hint = pageStorage()?.getItem(HINT + name);
  return hint ? { pin: hint.includes('pin'), passkey: hint.includes('passkey') } : undefined;
}
export function forgetUnlockWays(name = VAULT_DB): void {
  pageStorage()?.removeItem(HINT + name);
}

/** The record is deleted: what this device remembers of it outside IndexedDB (that it kept it, how it opened, the answer to the offer) goes too. */
export function forgetRecordMarks(name = VAULT_DB): void {
  pageStorage()?.removeItem(`${KEPT_MARK}${name}`);
  pageStorage()?.removeItem(OFFER + name);
  forgetUnlockWays(name);
}

/**
 * Home offers once to keep the record here for use with no connection ([2/11]); the answer ("kept", "not now") is
 * remembered per account on this device, in localStorage (opaque account ids and a word each, no health data),
 * so the offer is not made again. Deleting the record ("sign out and remove my data", 10 wrong PINs) forgets it:
 * a record downloaded again is offered again.
 */
const OFFER = 'mcl-keep-offer:';
export type OfferAnswer = 'kept' | 'not-now';
function offerAnswers(name: string): Record<string, OfferAnswer> {
  try {
    return JSON.parse(pageStorage()?.getItem(OFFER + name) ?? '{}') as Record<string, OfferAnswer>;
  } catch {
    return {};
  }
}
export function offerAnswer(accountId: string, name = VAULT_DB): OfferAnswer | undefined {
  return offerAnswers(name)[accountId];
}
export function rememberOfferAnswer(accountId: string, answer: OfferAnswer, name = VAULT_DB): void {
  pageStorage()?.setItem(OFFER + name, JSON.stringify({ ...offerAnswers(name), [accountId]: answer }));
}

/** Whether the local record's database exists, asked without opening it (opening would make an empty one). */
export async function vaultExists(name = VAULT_DB): Promise<boolean> {
  return (await indexedDB.databases()).some((d) => d.name === name);
}

/**
 * Which ways this device has to open its local record without a connection (a PIN, a passkey's PRF), read with
 * plain IndexedDB so that the sign-in page can offer them without loading Dexie first (the offline cold start is
 * a benchmark of [8/8]). Only whether the sealed keys exist is read; nothing is opened. A database that does not
 * exist is not created.
 */
export async function offlineUnlockWays(name = VAULT_DB): Promise<UnlockWays> {
  const ways = await lookUp(name);
  if (ways.pin || ways.passkey)
    pageStorage()?.setItem(HINT + name, [ways.pin && 'pin', ways.passkey && 'passkey'].filter(Boolean).join(' '));
  else forgetUnlockWays(name);
  return ways;
}

async function lookUp(name: string): Promise<UnlockWays> {
  const none = { pin: false, passkey: false };
  if (!(await vaultExists(name))) return none;
  const db = await new Promise<IDBDatabase | undefined>((resolve) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(undefined);
    // The database vanished between the two calls: do not leave an empty one behind.
    request.onupgradeneeded = () => request.transaction?.abort();
  });
  if (!db) return none;
  try {
    const stores = (['unlock', 'prfUnlock'] as const).filter((s) => db.objectStoreNames.contains(s));
    if (!stores.length) return none;
    const tx = db.transaction(stores, 'readonly');
    const has = (store: string, key: string) =>
      stores.includes(store as (typeof stores)[number])
        ? new Promise<boolean>((resolve) => {
            const request = tx.objectStore(store).getKey(key);
            request.onsuccess = () => resolve(request.result !== undefined);
            request.onerror = () => resolve(false);
          })
        : Promise.resolve(false);
    const [pin, passkey] = await Promise.all([has('unlock', 'pin'), has('prfUnlock', 'prf')]);
    return { pin, passkey };
  } finally {
    db.close();
  }
}
