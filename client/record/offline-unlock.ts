import { keepForOpening, wipeVault } from './open-vault.js';
import { VaultDb } from './vault-db.js';
import { VAULT_DB } from './vault-name.js';
import { forgetUnlockWays, offlineUnlockWays, vaultExists } from './unlock-ways.js';

/** PBKDF2-SHA-256 work for a device PIN (SECURITY.md / OWASP 2023: at least 600,000 iterations). */
export const PIN_ITERATIONS = 600_000;
/** Wrong PINs in a row after which the local record is wiped. */
export const PIN_TRIES = 10;

import type { PinWrapped } from './vault-db.js';
export type { PinWrapped };

/** A device PIN: 6 to 12 digits, not all the same, not a straight run. */
export function pinProblem(pin: string): string | undefined {
  if (!/^\d{6,12}$/.test(pin)) return 'Use 6 to 12 digits.';
  if (/^(\d)\1+$/.test(pin)) return 'Use digits that are not all the same.';
  if ('01234567890123456789'.includes(pin) || '98765432109876543210'.includes(pin))
    return 'Use digits that are not in a straight run.';
  return undefined;
}

async function pinKey(pin: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Seals what unlocking needs under a key derived from the PIN (the PIN itself is never stored). */
export async function wrapWithPin<T>(
  secret: T,
  pin: string,
  iterations = PIN_ITERATIONS,
): Promise<Omit<PinWrapped, 'key' | 'failures' | 'createdAt'>> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode('mcl-offline-unlock') },
    await pinKey(pin, salt, iterations),
    new TextEncoder().encode(JSON.stringify(secret)),
  );
  return { salt, iterations, iv, data };
}

/** Opens it with the PIN; a wrong PIN fails the AES-GCM tag check (undefined). */
export async function unwrapWithPin<T>(
  wrapped: Pick<PinWrapped, 'salt' | 'iterations' | 'iv' | 'data'>,
  pin: string,
): Promise<T | undefined> {
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: wrapped.iv as BufferSource,
        additionalData: new TextEncoder().encode('mcl-offline-unlock'),
      },
      await pinKey(pin, wrapped.salt, wrapped.iterations),
      wrapped.data,
    );
    return JSON.parse(new TextDecoder().decode(plain)) as T;
  } catch {
    return undefined;
  }
}

/** Whether this device holds a record that can be opened without a connection (PIN or passkey). */
export async function offlineUnlockAvailable(name = VAULT_DB): Promise<boolean> {
  const ways = await offlineUnlockWays(name);
  return ways.pin || ways.passkey;
}

/** Stores the PIN-wrapped unlock secret in the local record's database (replacing an earlier one). */
export async function saveOfflineUnlock<T>(
  secret: T,
  pin: string,
  name = VAULT_DB,
  iterations = PIN_ITERATIONS,
): Promise<void> {
  const wrapped = await wrapWithPin(secret, pin, iterations);
  const db = new VaultDb(name);
  try {
    await db.unlock.put({ key: 'pin', ...wrapped, failures: 0, createdAt: new Date().toISOString() });
  } finally {
    db.close();
    forgetUnlockWays(name);
  }
}

export type UnlockResult<T> = { ok: true; secret: T } | { ok: false; triesLeft: number; wiped: boolean };

/**
 * Tries a PIN. Right: the secret, and the count of wrong tries starts again. Wrong: it stays counted; at
 * PIN_TRIES wrong tries in a row the whole local record is deleted.
 */
export async function unlockWithPin<T>(pin: string, name = VAULT_DB): Promise<UnlockResult<T>> {
  if (!(await vaultExists(name))) return { ok: false, triesLeft: 0, wiped: true };
  const db = new VaultDb(name);
  let keep = false;
  try {
    // The try is counted before the (slow) derivation, in one transaction: closing the tab meanwhile, or trying in
    // two tabs at once, cannot skip the count. A right PIN sets it back to zero.
    const counted = await db.transaction('rw', db.unlock, async () => {
      const stored = await db.unlock.get('pin');
      if (stored) await db.unlock.put({ ...stored, failures: stored.failures + 1 });
      return stored && { ...stored, failures: stored.failures + 1 };
    });
    if (!counted) return { ok: false, triesLeft: 0, wiped: true };
    if (counted.failures > PIN_TRIES) {
      db.close();
      await wipeVault(name);
      return { ok: false, triesLeft: 0, wiped: true };
    }
    const secret = await unwrapWithPin<T>(counted, pin);
    if (secret !== undefined) {
      await db.unlock.update('pin', { failures: 0 });
      // The record is opened next: with this connection, not a second one.
      keep = true;
      keepForOpening(db);
      return { ok: true, secret };
    }
    if (counted.failures >= PIN_TRIES) {
      db.close();
      await wipeVault(name);
      return { ok: false, triesLeft: 0, wiped: true };
    }
    return { ok: false, triesLeft: PIN_TRIES - counted.failures, wiped: false };
  } finally {
    if (!keep) db.close();
  }
}

/** "Stop keeping it for offline use": the sealed keys go; the record stays, openable only when signed in. */
export async function turnOffOfflineUnlock(name = VAULT_DB): Promise<void> {
  const db = new VaultDb(name);
  try {
    await db.unlock.delete('pin');
    await db.prfUnlock.delete('prf');
  } finally {
    db.close();
    forgetUnlockWays(name);
  }
}
