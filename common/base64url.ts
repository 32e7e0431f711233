/**
 * Base64url without padding (RFC 4648 §5), for keys and links made in the browser and read in workers and the
 * service worker: the vault's keys, passkey ids, SMART Health Link payloads and keys. No Buffer: it runs everywhere.
 */
export function toBase64Url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const b of view) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Whether `text` can be base64url without padding at all (its letters, and not a length no encoding has). */
export const isBase64Url = (text: string): boolean => /^[A-Za-z0-9_-]*$/.test(text) && text.length % 4 !== 1;

/** The bytes of base64url text, padded or not (throws on text that is not base64url: check with isBase64Url). */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}
