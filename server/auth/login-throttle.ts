import type { Db } from './sessions.js';
import { ApiError } from '../errors.js';
import { withTransaction, type Store } from '../store/store.js';
import { hashToken } from './tokens.js';
import { checkAttempt, MAX_FAILURES, waitPhrase, type AttemptVerdict } from './throttle.js';

/** The counter a sign-in attempt is charged to: the account when one has that login, else the typed name itself. */
export function throttleKey(accountId: string | undefined, normalizedLogin: string): string {
  return accountId ? `account:${accountId}` : `login:${hashToken(normalizedLogin)}`;
}

/** A success clears the counter (NIST SP 800-63B-4 §3.2.2). */
export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/**
 * Checks and counts an attempt in one step, before the slow work (a password check, a mail): the attempt is charged as a failure
 * up front and the counter is cleared if it succeeds. Checking first and counting after the (slow) verification
 * would let a burst of parallel guesses all pass the same check. The row is updated first, which locks it on
 * PostgreSQL until commit; SQLite runs one transaction at a time.
 */
export async function reserveAttempt(
  store: Store,
  key: string,
  now: Date,
  // neverDisable: for counters that guard a way back in (sign-up, password reset), where "disabled for good" would
  // let an attacker shut the real person out: they keep the back-off, capped at one hour, but never close.
  options: { neverDisable?: boolean } = {},
): Promise<AttemptVerdict & { failures: number }> {
  return withTransaction(store, async (trx) => {
    await trx
      .insertInto('login_throttle')
      .values({ key, failures: 0, last_failure_at: new Date(0).toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await trx
      .updateTable('login_throttle')
      .set((eb) => ({ failures: eb('failures', '+', 0) }))
      .where('key', '=', key)
      .returning(['failures', 'last_failure_at'])
      .executeTakeFirstOrThrow();
    const counted = options.neverDisable ? Math.min(row.failures, MAX_FAILURES - 1) : row.failures;
    const verdict = checkAttempt(counted, row.failures ? new Date(row.last_failure_at) : undefined, now);
    if (!verdict.allowed) return { ...verdict, failures: row.failures };
    await trx
      .updateTable('login_throttle')
      .set({ failures: row.failures + 1, last_failure_at: now.toISOString() })
      .where('key', '=', key)
      .execute();
    return { ...verdict, failures: row.failures + 1 };
  });
}

/** The answer when `reserveAttempt` refused an attempt for now: a 429 that says how long to wait, in words. */
export function tooMany(retryAfterMs: number, lead = 'Too many wrong attempts.'): ApiError {
  return new ApiError(429, 'too_many_attempts', `${lead} Please wait ${waitPhrase(retryAfterMs)} and try again.`);
}
