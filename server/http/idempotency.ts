import { createHash, randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, AppEnv, IdempotencyLease as Lease } from '../deps.js';
import type { Db } from '../auth/sessions.js';
import { isUniqueViolation, withTransaction } from '../store/store.js';
import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import { ApiError } from '../errors.js';
import { authOf } from './require-session.js';

/** Keys are kept at least 24 h (SECURITY.md); 48 h here. */
export const KEY_TTL_MS = 48 * 3600_000;
/**
 * How long an attempt may hold a key before another may take it over (the first crashed, or never answered).
 * Short, because it is how long a retry waits after a crash; safe, because an attempt commits only while it still
 * holds the lease: a slow first attempt that was overtaken rolls back, so the work is done once whichever way.
 */
export const LEASE_MS = 15_000;

const KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

export function requestHash(method: string, path: string, body: string): string {
  return createHash('sha256').update(`${method}\n${path}\n${body}`).digest('hex');
}

/**
 * `Idempotency-Key` for requests that create something and may be retried (messages, refills, appointment
 * requests), per SECURITY.md and draft-ietf-httpapi-idempotency-key-header:
 * - missing or malformed → 400; the same key with another request → 422;
 * - the same key while the first is being carried out → 409 (try again shortly);
 * - the same key after it was carried out → the first response again (`Idempotent-Replayed: true`).
 * Put it after requireSession; the handler does its work through `idempotent(c, deps, work)`, which commits the
 * work and the stored response in one transaction, still holding the lease: exactly once.
 */
export function requireIdempotencyKey(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('Idempotency-Key');
    if (!key)
      throw new ApiError(
        400,
        'idempotency_key_missing',
        'This request needs an Idempotency-Key header (a new random id for each new item).',
      );
    if (!KEY.test(key))
      throw new ApiError(
        400,
        'idempotency_key_invalid',
        'The Idempotency-Key must be 8 to 100 letters, digits or . _ : -',
      );
    const { account } = authOf(c);
    const body = await c.req.text();
    const hash = requestHash(c.req.method, c.req.path, body);
    const now = deps.clock.now();
    const token = randomUUID();
    const leaseUntil = new Date(now.getTime() + LEASE_MS).toISOString();
    const lease: Lease = { accountId: account.id, key, token };
    try {
      await deps.store.db
        .insertInto('idempotency_key')
        .values({
          account_id: account.id,
          key,
          request_hash: hash,
          lease_token: token,
          lease_until: leaseUntil,
          response_status: null,
          response_body: null,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + KEY_TTL_MS).toISOString(),
        })
        .execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const row = await deps.store.db
        .selectFrom('idempotency_key')
        .selectAll()
        .where('account_id', '=', account.id)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row)
        throw new ApiError(
          409,
          'request_in_progress',
          'This item is being sent right now. Please try again in a moment.',
        );
      if (row.request_hash !== hash)
        throw new ApiError(
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was already used for a different request. Use a new key for a new item.',
        );
      if (row.response_status !== null) {
        c.header('Idempotent-Replayed', 'true');
        return c.body(row.response_body ?? '', row.response_status as ContentfulStatusCode, {
          'Content-Type': 'application/json',
        });
      }
      // Still being carried out, unless its lease ran out (that attempt crashed or gave up): then take it over.
      const taken = await deps.store.db
        .updateTable('idempotency_key')
        .set({ lease_token: token, lease_until: leaseUntil })
        .where('account_id', '=', account.id)
        .where('key', '=', key)
        .where('response_status', 'is', null)
        .where('lease_until', '<', now.toISOString())
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) {
        c.header('Retry-After', '1');
        throw new ApiError(
          409,
          'request_in_progress',
          'This item is being sent right now. Please try again in a moment.',
        );
      }
    }
    c.set('idempotency', lease);
    try {
      await next();
    } finally {
      // A request that ended without storing its response (an error answer, a crash in the handler) frees its
      // key at once, so that a retry is carried out rather than waiting for the lease to run out.
      if (!lease.done)
        await deps.store.db
          .deleteFrom('idempotency_key')
          .where('account_id', '=', lease.accountId)
          .where('key', '=', lease.key)
          .where('lease_token', '=', lease.token)
          .where('response_status', 'is', null)
          .execute();
    }
  };
}

export class LeaseLost extends Error {}

/**
 * Carries out an idempotent request: `work` runs in a transaction, and its answer is stored with the key in the
 * same transaction, which commits only if this attempt still holds the key's lease (else it rolls back and the
 * client sees 409: another attempt took over and its answer counts).
 */
export async function idempotent<T extends object>(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, 'store'>,
  work: (trx: Transaction<Database>) => Promise<{ status: ContentfulStatusCode; body: T }>,
) {
  const lease = c.get('idempotency');
  if (!lease) throw new Error('idempotent() used on a route without requireIdempotencyKey()');
  let result: { status: ContentfulStatusCode; body: T };
  try {
    result = await withTransaction(deps.store, async (trx) => {
      const r = await work(trx);
      await complete(trx, lease, r.status, JSON.stringify(r.body));
      return r;
    });
    lease.done = true;
  } catch (error) {
    if (error instanceof LeaseLost)
      throw new ApiError(
        409,
        'request_in_progress',
        'This item is being sent right now. Please try again in a moment.',
      );
    throw error;
  }
  return c.json(result.body, result.status);
}

async function complete(db: Db, lease: Lease, status: number, body: string): Promise<void> {
  const done = await db
    .updateTable('idempotency_key')
    .set({ response_status: status, response_body: body })
    .where('account_id', '=', lease.accountId)
    .where('key', '=', lease.key)
    .where('lease_token', '=', lease.token)
    .where('response_status', 'is', null)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw new LeaseLost();
}

/** Deletes keys past their 48 hours (run with the hourly purge). */
export async function purgeIdempotencyKeys(db: Db, now: Date): Promise<number> {
  const r = await db.deleteFrom('idempotency_key').where('expires_at', '<', now.toISOString()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
