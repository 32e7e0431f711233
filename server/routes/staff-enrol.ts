import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { normalizeUsername } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { requireAcceptablePassword } from '../auth/password-check.js';
import { usableLinkToken } from '../auth/link-tokens.js';

import { ApiError } from '../errors.js';
import { usernameSchema } from '../../common/signup-schema.js';
import { jsonBody } from '../http/json-body.js';
import { clientIp } from '../http/require-session.js';
import { createSession } from '../auth/sessions.js';
import { setSessionCookie } from '../http/session-cookie.js';
import { isUniqueViolation, withTransaction } from '../store/store.js';

const ENROL_TEXTS = {
  renew: 'or ask an administrator for a new one',
  lifetime: '7 days',
  afterUse: 'You can sign in.',
};

const body = z
  .object({
    token: z.string().min(20).max(100),
    username: usernameSchema,
    password: z.string().min(1, 'Choose a password.').max(1024),
  })
  .strict();

/**
 * `POST /api/staff-enrol`: a staff member finishes the account an administrator created (`npm run cli -- staff
 * create`): the emailed link (7 days) proves the address; they choose a username and password, and get a session
 * that may only add the first passkey. The link works again until that passkey exists (it is spent then, by
 * `spendSetUpLinks`), so closing the browser before adding one does not lock the person out; once a passkey
 * exists it is refused, so an old mail cannot be used to choose a new password.
 */
export function staffEnrolRoutes(deps: AppDeps) {
  const { store, clock } = deps;
  return new Hono<AppEnv>().post('/', jsonBody(body), async (c) => {
    const input = c.req.valid('json');
    const now = clock.now();
    const row = await usableLinkToken(store.db, input.token, 'staff-enrol', now, ENROL_TEXTS);
    const account = await store.db
      .selectFrom('account')
      .selectAll()
      .where('id', '=', row.account_id!)
      .executeTakeFirstOrThrow();
    const { n: passkeys } = await store.db
      .selectFrom('webauthn_credential')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('account_id', '=', account.id)
      .executeTakeFirstOrThrow();
    if (Number(passkeys) > 0)
      throw new ApiError(410, 'link_used', `This link has already been used. ${ENROL_TEXTS.afterUse}`);
    const username = normalizeUsername(input.username);
    requireAcceptablePassword(input.password, { personal: [username, account.email] });
    const taken = await store.db
      .selectFrom('account')
      .select('id')
      .where('username', '=', username)
      .where('id', '!=', account.id)
      .executeTakeFirst();
    if (taken)
      throw new ApiError(409, 'username_taken', 'That username is taken. Please choose another.', [
        { path: 'username', message: 'That username is taken.' },
      ]);
    const passwordHash = await hashPassword(input.password);
    await withTransaction(store, async (trx) => {
      await trx
        .updateTable('account')
        .set({ username, password_hash: passwordHash, email_verified_at: now.toISOString() })
        .where('id', '=', account.id)
        .execute();
      await appendAudit(
        trx,
        { actor: account.id, action: 'staff.enrolled', outcome: 'success', ip: clientIp(c), detail: account.role },
        now,
      );
    }).catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new ApiError(409, 'username_taken', 'That username is taken. Please choose another.', [
          { path: 'username', message: 'That username is taken.' },
        ]);
      throw error;
    });
    // This session may only add the first passkey (auth level "enrol"); staff sign in with passkeys from then on.
    const session = await createSession(
      store.db,
      account.id,
      { ip: clientIp(c), userAgent: c.req.header('user-agent'), authLevel: 'enrol' },
      now,
      deps.config.session,
    );
    setSessionCookie(c, session.token);
    return c.json(
      {
        status: 'account-ready',
        username,
        message: 'Your staff account is ready. Now add a passkey: staff sign in with one.',
      },
      201,
    );
  });
}
