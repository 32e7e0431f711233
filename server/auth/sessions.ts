import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, SessionTable, AccountTable, AuthLevel } from '../store/schema.js';

export type Account = Selectable<AccountTable>;
export type Session = Selectable<SessionTable>;
import { hashToken, newToken, type RandomSource, systemRandom } from './tokens.js';

/**
 * Server-side sessions (NIST SP 800-63B-4 §5; ASVS 7.x). The cookie holds an opaque 256-bit id; the database holds
 * only its SHA-256. The server alone decides expiry: idle after `idleMs` without activity, and at `expires_at`
 * (the overall limit) whatever the activity. Each sign-in and re-authentication makes a new id.
 */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

export type Db = Kysely<Database> | Transaction<Database>;

export interface NewSession {
  /** The secret for the cookie; never stored. */
  token: string;
  idHash: string;
  expiresAt: Date;
}

export async function createSession(
  db: Db,
  accountId: string,
  client: { ip?: string | null; userAgent?: string | null; authLevel?: AuthLevel },
  now: Date,
  policy: SessionPolicy,
  random: RandomSource = systemRandom,
): Promise<NewSession> {
  const token = newToken(32, random);
  const idHash = hashToken(token);
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + policy.maxMs);
  await db
    .insertInto('session')
    .values({
      id_hash: idHash,
      account_id: accountId,
      created_at: at,
      authenticated_at: at,
      last_seen_at: at,
      expires_at: expiresAt.toISOString(),
      ip: client.ip?.slice(0, 64) ?? null,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
      auth_level: client.authLevel ?? 'password',
    })
    .execute();
  return { token, idHash, expiresAt };
}

export type SessionLookup =
  | { status: 'active'; session: Session; account: Account; idleExpiresAt: Date }
  | { status: 'missing' }
  | { status: 'ended'; reason: 'idle-timeout' | 'expired' | string; accountId: string; justEnded?: true };

/** Activity updates last_seen_at at most this often, so polling pages do not write on every request. */
const TOUCH_EVERY_MS = 15_000;

/**
 * Finds the session for a cookie value and applies the time limits. An idle or overdue session is ended here (so
 * the caller can audit the timeout) and reported as ended. An active one is touched: `true` at most every 15 s
 * (ordinary requests), `'always'` at once (the person pressed "Stay signed in"), `false` not at all (a status poll
 * must not keep a session alive by itself).
 */
export async function lookupSession(
  db: Kysely<Database>,
  token: string | undefined,
  now: Date,
  policy: SessionPolicy,
  touch: boolean | 'always' = true,
): Promise<SessionLookup> {
  if (!token || token.length > 100) return { status: 'missing' };
  const idHash = hashToken(token);
  const row = await db.selectFrom('session').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  if (!row) return { status: 'missing' };
  if (row.ended_at) return { status: 'ended', reason: row.ended_reason ?? 'ended', accountId: row.account_id };
  const account = await db.selectFrom('account').selectAll().where('id', '=', row.account_id).executeTakeFirstOrThrow();
  const idleExpiresAt = new Date(Date.parse(row.last_seen_at) + policy.idleMs);
  let reason: string | undefined;
  if (account.disabled_at) reason = 'account-disabled';
  else if (now >= new Date(row.expires_at)) reason = 'expired';
  else if (now >= idleExpiresAt) reason = 'idle-timeout';
  if (reason) {
    const justEnded = await endSession(db, idHash, reason, now);
    return { status: 'ended', reason, accountId: row.account_id, ...(justEnded ? { justEnded: true as const } : {}) };
  }
  let lastSeen = row.last_seen_at;
  if (touch === 'always' || (touch && now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS)) {
    lastSeen = now.toISOString();
    await db
      .updateTable('session')
      .set({ last_seen_at: lastSeen })
      .where('id_hash', '=', idHash)
      .where('ended_at', 'is', null)
      .execute();
  }
  return {
    status: 'active',
    session: { ...row, last_seen_at: lastSeen },
    account,
    idleExpiresAt: new Date(Date.parse(lastSeen) + policy.idleMs),
  };
}

const LEVELS: AuthLevel[] = ['enrol', 'password', 'mfa', 'passkey'];

/**
 * Step-up (re-authentication): the person proved themselves again inside a session. The session gets a new id
 * (SECURITY.md: a new id at every re-authentication), a new `authenticated_at`, and keeps the stronger of its old
 * and new assurance. Returns the new cookie secret and level, or undefined if the session ended meanwhile.
 */
export async function reauthenticateSession(
  db: Db,
  session: Session,
  level: AuthLevel,
  now: Date,
  random: RandomSource = systemRandom,
): Promise<{ token: string; level: AuthLevel } | undefined> {
  const token = newToken(32, random);
  const stronger = LEVELS.indexOf(level) > LEVELS.indexOf(session.auth_level) ? level : session.auth_level;
  const result = await db
    .updateTable('session')
    .set({
      id_hash: hashToken(token),
      authenticated_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      auth_level: stronger,
    })
    .where('id_hash', '=', session.id_hash)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? { token, level: stronger } : undefined;
}

export async function endSession(db: Db, idHash: string, reason: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('session')
    .set({ ended_at: now.toISOString(), ended_reason: reason })
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends every open session of an account (password reset, account disabled), optionally but one. */
export async function endAllSessions(
  db: Db,
  accountId: string,
  reason: string,
  now: Date,
  except?: string,
): Promise<number> {
  let query = db
    .updateTable('session')
    .set({ ended_at: now.toISOString(), ended_reason: reason })
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null);
  if (except) query = query.where('id_hash', '!=', except);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

/** The account's open sessions, newest activity first, for Account → Security. */
export async function listOpenSessions(db: Db, accountId: string, now: Date, policy: SessionPolicy) {
  const rows = await db
    .selectFrom('session')
    .select(['id_hash', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.filter((r) => now < new Date(r.expires_at) && now.getTime() < Date.parse(r.last_seen_at) + policy.idleMs);
}
