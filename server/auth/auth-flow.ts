import { ApiError } from '../errors.js';
import type { Db } from './sessions.js';
import { hashToken, newToken } from './tokens.js';

/**
 * A sign-in, step-up or password reset that passed its first step (a password, a reset link) and waits for the
 * second: a 256-bit token the page holds in memory, stored hashed, valid ten minutes (long enough for a text to
 * arrive), spent when the second step succeeds. A text code sent for it lives in its payload, hashed.
 */
export type FlowPurpose = 'sign-in' | 'reauth' | 'reset' | 'sms-enrol';
export interface FlowPayload {
  purpose: FlowPurpose;
  /** reauth: the session it will refresh. */
  sessionHash?: string;
  /** reset: the link token it belongs to. */
  resetHash?: string;
  /** sms-enrol: the number being confirmed. */
  phone?: string;
  /** The text code sent for this flow, hashed with the flow, and until when it works. */
  sms?: { hash: string; expiresAt: string };
}
export interface Flow {
  hash: string;
  accountId: string;
  payload: FlowPayload;
}

export const FLOW_TTL_MS = 10 * 60_000;

export async function createFlow(db: Db, accountId: string, payload: FlowPayload, now: Date): Promise<string> {
  const token = newToken();
  await db
    .insertInto('one_time_token')
    .values({
      hash: hashToken(token),
      purpose: 'auth-flow',
      account_id: accountId,
      patient_id: null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + FLOW_TTL_MS).toISOString(),
      used_at: null,
      payload: JSON.stringify(payload),
    })
    .execute();
  return token;
}

export async function loadFlow(db: Db, token: string, purposes: FlowPurpose[], now: Date): Promise<Flow> {
  const row = await db
    .selectFrom('one_time_token')
    .selectAll()
    .where('hash', '=', hashToken(token))
    .where('purpose', '=', 'auth-flow')
    .executeTakeFirst();
  const payload = row?.payload ? (JSON.parse(row.payload) as FlowPayload) : undefined;
  if (!row || !payload || !row.account_id || !purposes.includes(payload.purpose))
    throw new ApiError(400, 'flow_invalid', 'This step is not valid any more. Please start again.');
  if (row.used_at || new Date(row.expires_at) <= now)
    throw new ApiError(410, 'flow_expired', 'This took too long or was already finished. Please start again.');
  return { hash: row.hash, accountId: row.account_id, payload };
}

/** Marks a flow finished, exactly once when two requests race (the loser is refused). */
export async function spendFlow(db: Db, flow: Flow, now: Date): Promise<void> {
  const spent = await db
    .updateTable('one_time_token')
    .set({ used_at: now.toISOString() })
    .where('hash', '=', flow.hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1)
    throw new ApiError(410, 'flow_expired', 'This was already finished. Please start again.');
}
