import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../deps.js';
import { appendAudit } from '../../audit/log.js';
import { createFlow, loadFlow, spendFlow } from '../../auth/auth-flow.js';
import { factorChanged } from '../../auth/factor-changes.js';
import { factorSummary, hasSecondFactor } from '../../auth/factors.js';
import { clearFailures, reserveAttempt } from '../../auth/login-throttle.js';
import { checkSmsCode, sendSmsCode } from '../../auth/sms-codes.js';
import { ApiError } from '../../errors.js';
import { jsonBody } from '../../http/json-body.js';
import { patientsOnly } from '../../http/require-role.js';
import { authOf, clientIp, requireFreshAuth, requireSession } from '../../http/require-session.js';
import { maskPhone } from '../../notify/sms.js';
import { normalizePhone } from '../../../common/phone.js';
import { withTransaction } from '../../store/store.js';

/**
 * `/api/factors/sms`: text-message codes (restricted: offered beside a passkey or app). A code sent to the number
 * confirms it; then it can be turned off.
 */
export function textRoutes(deps: AppDeps) {
  const { store, clock } = deps;
  const signedIn = requireSession(deps, { staffWithoutPasskey: true });
  const fresh = requireFreshAuth(deps);

  return new Hono<AppEnv>()
    .post('/', signedIn, patientsOnly, fresh, jsonBody(z.object({ phone: z.string().max(40) }).strict()), async (c) => {
      const { phone: typed } = c.req.valid('json');
      const phone = normalizePhone(typed);
      if (!phone) {
        throw new ApiError(
          400,
          'phone_invalid',
          'Enter the mobile number with its country code, starting with +, for example +1 507 555 0123.',
          [{ path: 'phone', message: 'Start with + and the country code.' }],
        );
      }
      const { account } = authOf(c);
      const flowToken = await createFlow(store.db, account.id, { purpose: 'sms-enrol', phone }, clock.now());
      const flow = await loadFlow(store.db, flowToken, ['sms-enrol'], clock.now());
      await sendSmsCode(deps, flow, phone, clientIp(c));
      return c.json({
        flow: flowToken,
        to: maskPhone(phone),
        message: `We sent a code to ${maskPhone(phone)}. Type it below to confirm the number.`,
      });
    })
    .post(
      '/confirm',
      signedIn,
      patientsOnly,
      jsonBody(z.object({ flow: z.string().min(20).max(100), code: z.string().max(64) }).strict()),
      async (c) => {
        const body = c.req.valid('json');
        const { account } = authOf(c);
        const now = clock.now();
        const flow = await loadFlow(store.db, body.flow, ['sms-enrol'], now);
        if (flow.accountId !== account.id || !flow.payload.phone) {
          throw new ApiError(400, 'flow_invalid', 'This step is not valid any more. Please start again.');
        }
        const key = `sms:${account.id}`;
        const verdict = await reserveAttempt(store, key, now);
        if (!verdict.allowed)
          throw new ApiError(429, 'too_many_attempts', 'Too many wrong codes. Please wait a minute and try again.');
        const result = await checkSmsCode(store.db, flow, body.code, now);
        if (result !== 'ok') {
          await appendAudit(
            store.db,
            { actor: account.id, action: 'sms.confirm-failed', outcome: 'failure', ip: clientIp(c), detail: result },
            now,
          );
          throw result === 'format'
            ? new ApiError(400, 'code_format', 'The code in the text message is 6 digits.')
            : result === 'expired'
              ? new ApiError(410, 'code_expired', 'That code has expired. Ask for a new one.')
              : new ApiError(401, `code_${result}`, 'That code is not right. Check the latest text message.');
        }
        await spendFlow(store.db, flow, now);
        await clearFailures(store.db, key);
        await clearFailures(store.db, `sms-send:${account.id}`);
        const had = hasSecondFactor(await factorSummary(store.db, account.id));
        const phone = flow.payload.phone;
        await withTransaction(store, async (trx) => {
          await trx.deleteFrom('sms_factor').where('account_id', '=', account.id).execute();
          await trx
            .insertInto('sms_factor')
            .values({ account_id: account.id, phone, created_at: now.toISOString(), confirmed_at: now.toISOString() })
            .execute();
        });
        const extra = await factorChanged(deps, account, clientIp(c), {
          action: 'sms.added',
          subject: 'Text-message codes were set up',
          sentence: `Text-message codes to ${maskPhone(phone)} were set up for signing in to your portal account.`,
          hadFactor: had,
        });
        return c.json({ sms: { to: maskPhone(phone) }, ...extra });
      },
    )
    .delete('/', signedIn, patientsOnly, fresh, async (c) => {
      const { account } = authOf(c);
      const result = await store.db.deleteFrom('sms_factor').where('account_id', '=', account.id).executeTakeFirst();
      if (Number(result.numDeletedRows) !== 1)
        throw new ApiError(404, 'not_found', 'Text-message codes are not set up.');
      await factorChanged(deps, account, clientIp(c), {
        action: 'sms.removed',
        subject: 'Text-message codes were turned off',
        sentence: 'Text-message codes were turned off for your portal account.',
        hadFactor: true,
      });
      return c.body(null, 204);
    });
}
