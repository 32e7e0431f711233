/**
 * The signature-counter policy for passkeys (W3C WebAuthn Level 3 §6.1.1 and step 22 of §7.2; SECURITY.md).
 *
 * An authenticator may keep a counter that rises with every signature; a clone of it would sooner or later send
 * a value that is not above what the portal has seen. The policy:
 * - both 0 (the authenticator does not count, as synced passkeys do): accepted, nothing to learn;
 * - above the stored value: accepted, and stored (only ever raised: `counter < new` in the update, so two sign-ins
 *   racing each other cannot lower it);
 * - not above the stored value, but above the value before the last raise, while that raise came from a sign-in
 *   that ended *after* this one's challenge was issued: two ceremonies overlapped (two tabs): accepted, nothing
 *   stored, no alarm. A clone with a stale counter sits at or below the previous value and is caught;
 * - otherwise (a decrease, or the same non-zero value again): refused, the passkey is flagged, the event is audited
 *   and the account holder told. The person signs in another way; the flag is shown on Account → Security.
 */
export type SignCountVerdict = 'raise' | 'keep' | 'regressed';

export function signCountVerdict(input: {
  stored: number;
  /** The counter's value before its last raise. */
  previous: number;
  received: number;
  /** When the stored value was last raised, if ever. */
  storedAt: Date | null;
  /** When the challenge this assertion answers was issued. */
  challengeIssuedAt: Date;
}): SignCountVerdict {
  const { stored, previous, received, storedAt, challengeIssuedAt } = input;
  if (stored === 0 && received === 0) return 'keep';
  if (received > stored) return 'raise';
  if (storedAt && storedAt > challengeIssuedAt && received > previous) return 'keep';
  return 'regressed';
}
