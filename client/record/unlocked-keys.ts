/**
 * Keys of local records opened on this page without the server (a device PIN, [8/8]): held in memory only, while
 * unlocked; locking or signing out forgets them. No imports: the shell uses it without loading the database code.
 */
const unlocked = new Map<string, Uint8Array>();
export const rememberUnlockedKey = (accountId: string, kekRaw: Uint8Array) => void unlocked.set(accountId, kekRaw);
export const forgetUnlockedKey = (accountId: string) => void unlocked.delete(accountId);
export const unlockedKey = (accountId: string) => unlocked.get(accountId);

/** localStorage key prefix (+ database name) of the mark "this device keeps this account's record" (open-vault.ts). */
export const KEPT_MARK = 'mcl-kept:';
