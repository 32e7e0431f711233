/**
 * The cryptography of the local record (SECURITY.md "Data on the device"; WebCrypto only):
 * - a random 256-bit vault secret is made on the device and stored only wrapped (AES-GCM) by a key-encryption key
 *   (KEK). In [5/8] the KEK is the account's vault key, handed by the server to a signed-in session; [8/8] adds a KEK
 *   derived from a passkey's PRF output or a PIN for unlocking without a network;
 * - from the secret, HKDF-SHA-256 derives the AES-GCM key that encrypts every stored resource and an HMAC key that
 *   turns clinical codes into opaque index values, so the database holds no readable clinical text;
 * - every ciphertext is bound to where it is stored (additional data `Type/id`), so rows cannot be swapped.
 * Keys in memory are non-extractable CryptoKeys; nothing usable is ever written in the clear.
 */
import { toBase64Url } from '../../common/base64url.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

export interface VaultKeys {
  aes: CryptoKey;
  hmac: CryptoKey;
}

export interface Wrapped {
  iv: Uint8Array;
  wrapped: ArrayBuffer;
}

/** The key-encryption key from 32 raw bytes (the server's vault key), usable only to wrap and unwrap. */
export function importKek(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw as BufferSource, { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
}

/** A new vault secret, wrapped by the KEK for storage; the raw secret never leaves this function. */
export async function newWrappedSecret(kek: CryptoKey): Promise<Wrapped> {
  const secret = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = await crypto.subtle.wrapKey('raw', secret, kek, { name: 'AES-GCM', iv });
  return { iv, wrapped };
}

/** Unwraps the vault secret (fails if the KEK is not the one it was wrapped with) and derives the working keys. */
export async function unwrapVaultKeys(stored: Wrapped, kek: CryptoKey): Promise<VaultKeys> {
  const base = await crypto.subtle.unwrapKey('raw', stored.wrapped, kek, { name: 'AES-GCM', iv: stored.iv as BufferSource }, 'HKDF', false, ['deriveKey']);
  const derive = (info: string, algorithm: AesKeyGenParams | HmacKeyGenParams, usages: KeyUsage[]) =>
    crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: enc.encode(info) }, base, algorithm, false, usages);
  return {
    aes: await derive('mayocarelink vault aes-gcm v1', { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt']),
    hmac: await derive('mayocarelink vault index hmac v1', { name: 'HMAC', hash: 'SHA-256', length: 256 }, ['sign']),
  };
}

export interface Sealed {
  iv: Uint8Array;
  data: ArrayBuffer;
}

export async function seal(keys: VaultKeys, value: unknown, boundTo: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(boundTo) }, keys.aes, enc.encode(JSON.stringify(value)));
  return { iv, data };
}

export async function open<T>(keys: VaultKeys, sealed: Sealed, boundTo: string): Promise<T> {
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv as BufferSource, additionalData: enc.encode(boundTo) }, keys.aes, sealed.data);
  return JSON.parse(dec.decode(plain)) as T;
}

/** An opaque, stable index value for a clinical code (`system|code`): equal codes match, nothing is readable. */
export async function codeIndex(keys: VaultKeys, systemAndCode: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', keys.hmac, enc.encode(systemAndCode));
  return toBase64Url(mac.slice(0, 16));
}
