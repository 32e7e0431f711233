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

/**
 * The local record of another person an account helps ([3/11]): a database of its own per person, opened with its
 * own key (the server derives one per account and person), so nothing of one person is ever stored or read under
 * another's key, and ending the access deletes exactly that person's copy.
 */
export const PERSON_VAULT_PREFIX = `${VAULT_DB}-for-`;
export const personVaultName = (patientId: string) => `${PERSON_VAULT_PREFIX}${patientId}`;
/** Whether a database name is one of this app's local records (the own one or another person's). */
export const isVaultName = (name: string) => name === VAULT_DB || name.startsWith(PERSON_VAULT_PREFIX);
