import { fromBase64Url, toBase64Url } from '../../common/base64url.js';
import { keepForOpening } from './open-vault.js';
import { VaultDb } from './vault-db.js';
import { VAULT_DB } from './vault-name.js';
import { forgetUnlockWays } from './unlock-ways.js';

/**
 * Opening the local record with a passkey and no connection ([8/8]): the WebAuthn PRF extension gives, for this
 * site, this passkey and a salt kept here, the same 32 secret bytes at every use, after the person's fingerprint,
 * face or device PIN. HKDF-SHA-256 turns them into the key that seals the record's key. The PRF output never leaves
 * the page and is never stored; the authenticator is asked locally (no server involved, so it works offline).
 */
import type { PrfWrapped } from './vault-db.js';
export type { PrfWrapped };

const INFO = new TextEncoder().encode('mcl-offline-unlock-prf');

/** The PRF output of one passkey for `prfSalt` (throws when the person cancels, or the passkey has no PRF). */
async function prfOutput(
  prfSalt: Uint8Array,
  credentialId?: string,
): Promise<{ output: ArrayBuffer; credentialId: string }> {
  const credential = (await navigator.credentials.get({
    publicKey: {
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      rpId: location.hostname,
      userVerification: 'required',
      timeout: 120_000,
      ...(credentialId ? { allowCredentials: [{ type: 'public-key', id: fromBase64Url(credentialId) }] } : {}),
      extensions: { prf: { eval: { first: prfSalt } } } as AuthenticationExtensionsClientInputs,
    },
  })) as PublicKeyCredential | null;
  const results = credential?.getClientExtensionResults() as
    { prf?: { results?: { first?: ArrayBuffer } } } | undefined;
  const output = results?.prf?.results?.first;
  if (!credential || !output) throw new PasskeyUnlockUnavailable();
  return { output, credentialId: toBase64Url(credential.rawId) };
}

export class PasskeyUnlockUnavailable extends Error {
  constructor() {
    super('This passkey cannot open your record without a connection. Use a PIN instead.');
  }
}

async function wrappingKey(output: ArrayBuffer, hkdfSalt: Uint8Array): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', output, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: hkdfSalt as BufferSource, info: INFO },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Seals `secret` under the chosen passkey's PRF output and stores it (replacing an earlier one). */
export async function savePasskeyUnlock<T>(secret: T, name = VAULT_DB): Promise<void> {
  const prfSalt = crypto.getRandomValues(new Uint8Array(32));
  const hkdfSalt = crypto.getRandomValues(new Uint8Array(16));
  const { output, credentialId } = await prfOutput(prfSalt);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: INFO },
    await wrappingKey(output, hkdfSalt),
    new TextEncoder().encode(JSON.stringify(secret)),
  );
  const db = new VaultDb(name);
  try {
    await db.prfUnlock.put({
      key: 'prf',
      credentialId,
      prfSalt,
      hkdfSalt,
      iv,
      data,
      createdAt: new Date().toISOString(),
    });
  } finally {
    db.close();
    forgetUnlockWays(name);
  }
}

export async function passkeyUnlockAvailable(name = VAULT_DB): Promise<boolean> {
  const db = new VaultDb(name);
  try {
    return (await db.prfUnlock.get('prf')) !== undefined;
  } finally {
    db.close();
  }
}

/** Asks the passkey again and opens the sealed secret; undefined when it does not open. */
export async function unlockWithPasskey<T>(name = VAULT_DB): Promise<T | undefined> {
  const db = new VaultDb(name);
  let secret: T | undefined;
  try {
    const stored = await db.prfUnlock.get('prf');
    if (!stored) return undefined;
    const { output } = await prfOutput(stored.prfSalt, stored.credentialId);
    try {
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: stored.iv as BufferSource, additionalData: INFO },
        await wrappingKey(output, stored.hkdfSalt),
        stored.data,
      );
      secret = JSON.parse(new TextDecoder().decode(plain)) as T;
    } catch {
      return undefined;
    }
    // The record is opened next: with this connection, not a second one.
    keepForOpening(db);
    return secret;
  } finally {
    if (secret === undefined) db.close();
  }
}
