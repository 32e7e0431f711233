import { ok, portal } from '../data/portal.js';
import { pinProblem } from './offline-unlock.js';

/**
 * What Account → This device and Home's one-time offer ([2/11]) both need to keep the record on this device for use
 * with no connection ([8/8]): the record's key from the server, whether the passkey way can work here, and the
 * check of a new PIN typed twice.
 */

/**
 * The key that unwraps this account's local record (GET /api/records/vault-key). The server's answer types it as
 * possibly null (it reads the column back after making it at first use): no key must ever be sealed on the device.
 */
export async function vaultKey(): Promise<string> {
  const { key } = await ok(portal.api.records['vault-key'].$get({ query: {} }));
  if (!key) throw new Error('The portal did not send the key to your record. Please try again.');
  return key;
}

/**
 * Whether to offer the passkey way: the browser can ask a passkey for its PRF output (WebAuthn Level 3
 * `getClientCapabilities()`, `extension:prf`, where the browser answers it) and the account has a passkey whose
 * authenticator offered PRF when it was made (the server keeps that yes or no, never a PRF result). Without
 * both, only the PIN is offered. Asked online (GET /api/factors); offline or refused, the answer is no.
 */
export async function passkeyCanKeep(): Promise<boolean> {
  if (typeof PublicKeyCredential === 'undefined') return false;
  const capabilities = await PublicKeyCredential.getClientCapabilities?.().catch(() => undefined);
  if (capabilities?.['extension:prf'] === false) return false;
  try {
    const { passkeys } = await ok(portal.api.factors.$get());
    return passkeys.some((p) => p.prf);
  } catch {
    return false;
  }
}

/** A new PIN and its second typing: the sentence that says what is wrong, or undefined. */
export function newPinProblem(pin: string, again: string): string | undefined {
  return pinProblem(pin) ?? (pin !== again ? 'The two PINs are not the same.' : undefined);
}
