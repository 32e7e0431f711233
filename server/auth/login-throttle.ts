import type { Db } from './sessions.js';
import { hashToken } from './tokens.js';
import { checkAttempt, MAX_FAILURES, type AttemptVerdict } from './throttle.js';

/** The counter a sign-in attempt is charged to: the account when one has that login, else the typed name itself. */
export function throttleKey(accountId: string | undefined, normalizedLogin: string): string {
  return accountId ? `account:${accountId}` : `login:${hashToken(normalizedLogin)}`;
}

/**
 * `neverDisable`: for counters that guard a way back in (sign-up, password reset), where "disabled for good" would
 * let an attacker shut the real person out: they keep the back-off, capped at one hour, but never close.
 */
export async function attemptVerdict(db: Db, key: string, now: Date, options: { neverDisable?: boolean } = {}): Promise<AttemptVerdict & { failures: number }> {
  const row = await db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
  const failures = row?.failures ?? 0;
  const counted = options.neverDisable ? Math.min(failures, MAX_FAILURES - 1) : failures;
  return { ...checkAttempt(counted, row ? new Date(row.last_failure_at) : undefined, now), failures };
}

/** Counts one more consecutive failure and returns the new count. */
export async function recordFailure(db: Db, key: string, now: Date): Promise<number> {
  const at = now.toISOString();
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, last_failure_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ failures: eb('login_throttle.failures', '+', 1), last_failure_at: at })))
    .returning('failures')
    .executeTakeFirstOrThrow();
  return row.failures;
}

/** A success clears the counter (NIST SP 800-63B-4 §3.2.2). */
export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
