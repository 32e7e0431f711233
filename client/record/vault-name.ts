/** The IndexedDB database of the local record (one per browser profile). Its own module: no Dexie needed to name it. */
export const VAULT_DB = 'mcl-vault';

/** localStorage where there is one (pages), nothing in workers: the marks kept beside the record hold no health data. */
export const pageStorage = () =>
  (
    globalThis as {
      localStorage?: {
        getItem(key: string): string | null;
        setItem(key: string, value: string): void;
        removeItem(key: string): void;
      };
    }
  ).localStorage;
