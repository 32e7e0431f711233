import type { Selectable } from 'kysely';
import type { Db } from './sessions.js';
import type { OneTimeTokenTable } from '../store/schema.js';
import { ApiError } from '../errors.js';
import { hashToken } from './tokens.js';

export type LinkToken = Selectable<OneTimeTokenTable>;

/** What to tell the person when their link cannot be used: where to get a new one, how long links last. */
export interface LinkTexts {
  /** e.g. "or ask for a new one" */
  renew: string;
  /** e.g. "one hour" */
  lifetime: string;
  /** After "already been used.", e.g. "You can sign in." */
  afterUse: string;
}

/**
 * Finds the row of an emailed link's token (stored as its SHA-256) and refuses, with a sentence for a person, a
 * token that is unknown (400), already used or expired (410). Single use is enforced by `spendLinkToken`, in the
 * transaction that does the work.
 */
export async function usableLinkToken(
  db: Db,
  token: string,
  purpose: LinkToken['purpose'],
  now: Date,
  texts: LinkTexts,
): Promise<LinkToken> {
  const row = await db
    .selectFrom('one_time_token')
    .selectAll()
    .where('hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (!row)
    throw new ApiError(
      400,
      'link_invalid',
      `This link is not valid. Copy the whole link from the email, ${texts.renew}.`,
    );
  if (row.used_at) throw new ApiError(410, 'link_used', `This link has already been used. ${texts.afterUse}`);
  if (new Date(row.expires_at) <= now)
    throw new ApiError(
      410,
      'link_expired',
      `This link has expired (links last ${texts.lifetime}). Please ${texts.renew.replace(/^or /, '')}.`,
    );
  return row;
}

/** Marks a token used, exactly once even when two requests race: the loser gets 410. */
export async function spendLinkToken(db: Db, row: LinkToken, now: Date, afterUse: string): Promise<void> {
  const used = await db
    .updateTable('one_time_token')
    .set({ used_at: now.toISOString() })
    .where('hash', '=', row.hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1)
    throw new ApiError(410, 'link_used', `This link has already been used. ${afterUse}`);
}

/**
 * Marks an account's unused staff set-up links used: called when its first passkey is added, after which the
 * link that let the person choose a password must not work again.
 */
export async function spendSetUpLinks(db: Db, accountId: string, now: Date): Promise<void> {
  await db
    .updateTable('one_time_token')
    .set({ used_at: now.toISOString() })
    .where('account_id', '=', accountId)
    .where('purpose', '=', 'staff-enrol')
    .where('used_at', 'is', null)
    .execute();
}

/**
 * Deletes single-use tokens a day after they expired (challenges, sign-in flows, links, codes): anonymous passkey
 * challenges are cheap to ask for, so their rows must not pile up. The server runs this hourly.
 */
export async function purgeExpiredTokens(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - 24 * 3600_000).toISOString();
  const result = await db.deleteFrom('one_time_token').where('expires_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
