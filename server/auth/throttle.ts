/**
 * Failed-attempt policy for one authenticator of one account (NIST SP 800-63B-4 §3.2.2; ASVS 6.3.1):
 * - the counter is per account, not per address or session, and a success resets it;
 * - the first FREE_ATTEMPTS failures cost nothing (people mistype), then each further failure waits
 *   30 s, doubling, up to 1 h: slow for a guesser, short for the real owner who then gets it right;
 * - after MAX_FAILURES consecutive failures the authenticator is disabled until recovery.
 * Waiting, not locking, is what keeps an attacker from locking a victim out cheaply: 100 failures under this
 * back-off take more than three days.
 */
export const FREE_ATTEMPTS = 5;
export const MAX_FAILURES = 100;
export const FIRST_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 60 * 60_000;

/** How long after the latest failure the next attempt must wait, given the consecutive failures so far. */
export function delayAfter(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  const step = failures - FREE_ATTEMPTS;
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(step, 20));
}

/** "30 seconds" or "5 minutes": how long to wait, in words for the person. */
export function waitPhrase(retryAfterMs: number): string {
  const seconds = Math.ceil(retryAfterMs / 1000);
  return seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
}

export type AttemptVerdict =
  { allowed: true } | { allowed: false; reason: 'wait'; retryAfterMs: number } | { allowed: false; reason: 'disabled' };

/** May an attempt be made now? */
export function checkAttempt(failures: number, lastFailureAt: Date | undefined, now: Date): AttemptVerdict {
  if (failures >= MAX_FAILURES) return { allowed: false, reason: 'disabled' };
  if (!lastFailureAt) return { allowed: true };
  const wait = lastFailureAt.getTime() + delayAfter(failures) - now.getTime();
  return wait > 0 ? { allowed: false, reason: 'wait', retryAfterMs: wait } : { allowed: true };
}
