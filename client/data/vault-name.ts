/** The IndexedDB database of the local record (one per browser profile). Its own module: no Dexie needed to name it. */
export const VAULT_DB = 'mcl-vault';
