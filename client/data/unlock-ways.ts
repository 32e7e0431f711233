import { VAULT_DB } from './vault-name.js';

/**
 * Which ways this device has to open its local record without a connection (a PIN, a passkey's PRF), read with
 * plain IndexedDB so that the sign-in page can offer them without loading Dexie first (the offline cold start is
 * a benchmark of [8/8]). Only whether the sealed keys exist is read; nothing is opened. A database that does not
 * exist is not created.
 */
export async function offlineUnlockWays(name = VAULT_DB): Promise<{ pin: boolean; passkey: boolean }> {
  const none = { pin: false, passkey: false };
  if (!(await indexedDB.databases()).some((d) => d.name === name)) return none;
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
