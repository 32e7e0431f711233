import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../app.js';
import { appendAudit } from '../audit/log.js';
import { normalizeUsername } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { checkPassword } from '../auth/password-policy.js';
import { hashToken } from '../auth/tokens.js';
import { ApiError } from '../http/errors.js';
import { readJsonBody } from '../http/json-body.js';
import { clientIp } from '../http/require-session.js';
import { withTransaction } from '../store/store.js';

const body = z
  .object({
    token: z.string().min(20).max(100),
    username: z.string().trim().min(3, 'Username: at least 3 characters.').max(32, 'Username: at most 32 characters.').regex(/^[\p{L}\p{N}._-]+$/u, 'Username: letters, digits, dots, dashes and underscores only.'),
    password: z.string().min(1, 'Choose a password.').max(1024),
  })
  .strict();

/**
 * `POST /api/staff-enrol`: a staff member finishes the account an administrator created (`npm run cli -- staff
 * create`): the emailed link (single use, 7 days) proves the address; they choose a username and password.
 * (Passkeys, which staff must use, are added by the strong sign-in work.)
 */
export function staffEnrolRoutes(deps: AppDeps) {
  const { store, clock } = deps;
  return new Hono<AppEnv>().post('/', async (c) => {
    const input = await readJsonBody(c, body);
    const now = clock.now();
    const hash = hashToken(input.token);
    const row = await store.db.selectFrom('one_time_token').selectAll().where('hash', '=', hash).where('purpose', '=', 'staff-enrol').executeTakeFirst();
    if (!row?.account_id) throw new ApiError(400, 'link_invalid', 'This link is not valid. Copy the whole link from the email, or ask an administrator for a new one.');
    if (row.used_at) throw new ApiError(410, 'link_used', 'This link has already been used. You can sign in.');
    if (new Date(row.expires_at) <= now) throw new ApiError(410, 'link_expired', 'This link has expired (links last 7 days). Ask an administrator for a new one.');
    const account = await store.db.selectFrom('account').selectAll().where('id', '=', row.account_id).executeTakeFirstOrThrow();
    const username = normalizeUsername(input.username);
    const verdict = checkPassword(input.password, { personal: [username, account.email] });
    if (!verdict.ok) throw new ApiError(400, 'weak_password', verdict.problems[0]!.message, verdict.problems.map((p) => ({ path: 'password', message: p.message })));
    const taken = await store.db.selectFrom('account').select('id').where('username', '=', username).where('id', '!=', account.id).executeTakeFirst();
    if (taken) throw new ApiError(409, 'username_taken', 'That username is taken. Please choose another.', [{ path: 'username', message: 'That username is taken.' }]);
    const passwordHash = await hashPassword(input.password);
    await withTransaction(store, async (trx) => {
      const used = await trx.updateTable('one_time_token').set({ used_at: now.toISOString() }).where('hash', '=', hash).where('used_at', 'is', null).executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) throw new ApiError(410, 'link_used', 'This link has already been used.');
      await trx.updateTable('account').set({ username, password_hash: passwordHash, email_verified_at: now.toISOString() }).where('id', '=', account.id).execute();
      await appendAudit(trx, { actor: account.id, action: 'staff.enrolled', outcome: 'success', ip: clientIp(c), detail: account.role }, now);
    });
    return c.json({ status: 'account-ready', username, message: 'Your staff account is ready. You can sign in now.' }, 201);
  });
}
