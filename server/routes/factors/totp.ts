import { Hono } from 'hono';
import { z } from 'zod';
import QRCode from 'qrcode';
import type { AppDeps, AppEnv } from '../../deps.js';
import { appendAudit } from '../../audit/log.js';
import { factorChanged } from '../../auth/factor-changes.js';
import { factorSummary, hasSecondFactor } from '../../auth/factors.js';
import { clearFailures, reserveAttempt } from '../../auth/login-throttle.js';
import { newTotpSecret, totpUri, verifyTotp } from '../../auth/totp.js';
import { ApiError } from '../../errors.js';
import { jsonBody } from '../../http/json-body.js';
import { patientsOnly } from '../../http/require-role.js';
import { authOf, clientIp, requireFreshAuth, requireSession } from '../../http/require-session.js';

/** An unconfirmed app secret must be confirmed within this time, or set up again. */
const TOTP_SETUP_MS = 15 * 60_000;

/** `/api/factors/totp`: set up an authenticator app (secret and QR code, then a first code confirms it), remove it. */
export function totpRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const signedIn = requireSession(deps, { staffWithoutPasskey: true });
  const fresh = requireFreshAuth(deps);

  return new Hono<AppEnv>()
    .post('/', signedIn, patientsOnly, fresh, async (c) => {
      const { account } = authOf(c);
      const now = clock.now();
      const existing = await store.db
        .selectFrom('totp_factor')
        .select('confirmed_at')
        .where('account_id', '=', account.id)
        .executeTakeFirst();
      if (existing?.confirmed_at) {
        throw new ApiError(
          409,
          'already_set_up',
          'An authenticator app is already set up. Remove it first to set up another.',
        );
      }
      const secret = newTotpSecret();
      await store.db.deleteFrom('totp_factor').where('account_id', '=', account.id).execute();
      await store.db
        .insertInto('totp_factor')
        .values({ account_id: account.id, secret, created_at: now.toISOString(), confirmed_at: null, last_step: null })
        .execute();
      const uri = totpUri(secret, config.clinic.name, account.username);
      const qr = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 256 });
      return c.json({ secret, uri, qr });
    })
    .post('/confirm', signedIn, patientsOnly, jsonBody(z.object({ code: z.string().max(64) }).strict()), async (c) => {
      const { code } = c.req.valid('json');
      const { account } = authOf(c);
      const now = clock.now();
      const row = await store.db
        .selectFrom('totp_factor')
        .selectAll()
        .where('account_id', '=', account.id)
        .executeTakeFirst();
      if (!row || row.confirmed_at)
        throw new ApiError(409, 'not_started', 'Start setting up the authenticator app first.');
      if (now.getTime() - Date.parse(row.created_at) > TOTP_SETUP_MS) {
        throw new ApiError(
          410,
          'setup_expired',
          'Setting up took too long. Please start again: you will get a new QR code.',
        );
      }
      const key = `totp:${account.id}`;
      const verdict = await reserveAttempt(store, key, now);
      if (!verdict.allowed) {
        await appendAudit(
          store.db,
          { actor: account.id, action: 'totp.confirm-throttled', outcome: 'throttled', ip: clientIp(c) },
          now,
        );
        throw new ApiError(429, 'too_many_attempts', 'Too many wrong codes. Please wait a minute and try again.');
      }
      const result = verifyTotp(row.secret, code, now, null);
      if (!result.ok) {
        await appendAudit(
          store.db,
          {
            actor: account.id,
            action: 'totp.confirm-failed',
            outcome: 'failure',
            ip: clientIp(c),
            detail: result.reason,
          },
          now,
        );
        throw result.reason === 'format'
          ? new ApiError(400, 'code_format', 'The code from your authenticator app is 6 digits.')
          : new ApiError(
              401,
              'code_wrong',
              'That code is not right. Check that the app shows this account, and type the code it shows now.',
            );
      }
      const had = hasSecondFactor(await factorSummary(store.db, account.id));
      await store.db
        .updateTable('totp_factor')
        .set({ confirmed_at: now.toISOString(), last_step: result.step })
        .where('account_id', '=', account.id)
        .execute();
      await clearFailures(store.db, key);
      const extra = await factorChanged(deps, account, clientIp(c), {
        action: 'totp.added',
        subject: 'An authenticator app was set up',
        sentence: 'An authenticator app was set up for signing in to your portal account.',
        hadFactor: had,
      });
      return c.json({ totp: true, ...extra });
    })
    .delete('/', signedIn, patientsOnly, fresh, async (c) => {
      const { account } = authOf(c);
      const result = await store.db
        .deleteFrom('totp_factor')
        .where('account_id', '=', account.id)
        .where('confirmed_at', 'is not', null)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) !== 1) throw new ApiError(404, 'not_found', 'No authenticator app is set up.');
      await factorChanged(deps, account, clientIp(c), {
        action: 'totp.removed',
        subject: 'An authenticator app was removed',
        sentence: 'The authenticator app was removed from your portal account. Its codes no longer work.',
        hadFactor: true,
      });
      return c.body(null, 204);
    });
}
