import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { createFlow, loadFlow, spendFlow } from '../auth/auth-flow.js';
import { factorSummary, secondFactorMethods } from '../auth/factors.js';
import { clearFailures, reserveAttempt, throttleKey } from '../auth/login-throttle.js';
import { verifyPassword } from '../auth/password-hash.js';
import { checkPasskey } from '../auth/passkey-check.js';
import { verifySecondFactor } from '../auth/second-factor.js';
import { sendSmsCode } from '../auth/sms-codes.js';
import { reauthenticateSession } from '../auth/sessions.js';
import { asSecondFactorInput, flowToken, secondFactorBody, secondStep, sessionInfo } from '../auth/sign-in.js';
import { authenticationOptions, authenticationResponseSchema, relyingParty } from '../auth/webauthn.js';
import { ApiError } from '../errors.js';
import { jsonBody } from '../http/json-body.js';
import { authOf, clientIp, requireSession } from '../http/require-session.js';
import { setSessionCookie } from '../http/session-cookie.js';
import { rateLimit } from '../http/rate-limit.js';
import { startSession } from '../http/start-session.js';
import { maskPhone } from '../notify/sms.js';
import type { AuthLevel } from '../store/schema.js';

/**
 * The strong parts of `/api/session` ([4/8]):
 * - `POST /passkey-options`, `POST /passkey`: sign in with a passkey alone (discoverable credential, UV required);
 * - `POST /second-factor` (+ `/sms`, `/passkey-options` for a flow): finish a password sign-in or step-up with a
 *   second factor; the SMS and passkey helpers also serve a password reset's flow;
 * - `POST /reauth` (password, then maybe a second step) and `POST /reauth/passkey(-options)`: step-up.
 */
export function sessionStepRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const rp = () => relyingParty(config.publicOrigin, config.clinic.name);
  const anyFlow = ['sign-in', 'reauth', 'reset'] as const;
  const accountOf = (id: string) =>
    store.db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** Step-up done: new session id, fresh authenticated_at, the new cookie, the new session info. */
  const refreshed = async (c: Context<AppEnv>, level: AuthLevel, how: string) => {
    const { account, session } = authOf(c);
    const now = clock.now();
    const renewed = await reauthenticateSession(store.db, session, level, now);
    if (!renewed) throw new ApiError(401, 'session_ended', 'Your session has ended. Please sign in again.');
    setSessionCookie(c, renewed.token);
    await appendAudit(
      store.db,
      { actor: account.id, action: 'reauth', outcome: 'success', ip: clientIp(c), detail: how },
      now,
    );
    return c.json(
      await sessionInfo(
        deps,
        account,
        { expires_at: session.expires_at, auth_level: renewed.level, authenticated_at: now.toISOString() },
        new Date(now.getTime() + config.session.idleMs),
      ),
    );
  };

  return new Hono<AppEnv>()
    .post(
      '/passkey-options',
      rateLimit({
        limit: 60,
        windowMs: 60_000,
        clock,
        message: 'Too many passkey requests from this address. Please wait a minute.',
      }),
      async (c) => {
        const options = await authenticationOptions(
          store.db,
          rp(),
          { ceremony: 'authentication', accountId: null, use: 'sign-in' },
          undefined,
          clock.now(),
        );
        return c.json(options);
      },
    )
    .post('/passkey', jsonBody(z.object({ response: authenticationResponseSchema }).strict()), async (c) => {
      const { response } = c.req.valid('json');
      const { account } = await checkPasskey(
        deps,
        response,
        { ceremony: 'authentication', accountId: null, use: 'sign-in' },
        clientIp(c),
      );
      if (!account.email_verified_at)
        throw new ApiError(
          403,
          'email_unverified',
          'Please confirm your email address first: open the link in the email we sent you.',
        );
      return startSession(c, deps, account, 'passkey', 'passkey');
    })
    .post('/second-factor/sms', jsonBody(z.object({ flow: flowToken }).strict()), async (c) => {
      const { flow: token } = c.req.valid('json');
      const flow = await loadFlow(store.db, token, [...anyFlow], clock.now());
      const factors = await factorSummary(store.db, flow.accountId);
      if (!factors.smsPhone)
        throw new ApiError(
          400,
          'method_unavailable',
          'Text-message codes are not set up on this account. Choose another way.',
        );
      await sendSmsCode(deps, flow, factors.smsPhone, clientIp(c));
      return c.json({
        sent: true,
        to: maskPhone(factors.smsPhone),
        message: `We sent a code to ${maskPhone(factors.smsPhone)}. It works for 10 minutes.`,
      });
    })
    .post('/second-factor/passkey-options', jsonBody(z.object({ flow: flowToken }).strict()), async (c) => {
      const { flow: token } = c.req.valid('json');
      const flow = await loadFlow(store.db, token, [...anyFlow], clock.now());
      const { passkeys } = await factorSummary(store.db, flow.accountId);
      if (!passkeys.length)
        throw new ApiError(400, 'method_unavailable', 'There is no passkey on this account. Choose another way.');
      return c.json(
        await authenticationOptions(
          store.db,
          rp(),
          { ceremony: 'authentication', accountId: flow.accountId, use: `flow:${flow.hash}` },
          passkeys,
          clock.now(),
        ),
      );
    })
    .post('/second-factor', jsonBody(secondFactorBody), async (c) => {
      const body = c.req.valid('json');
      const flow = await loadFlow(store.db, body.flow, ['sign-in'], clock.now());
      const account = await accountOf(flow.accountId);
      const method = await verifySecondFactor(deps, account, flow, asSecondFactorInput(body), clientIp(c));
      await spendFlow(store.db, flow, clock.now());
      if (account.disabled_at)
        throw new ApiError(403, 'account_disabled', 'This account is closed. Please call support.');
      return startSession(c, deps, account, method === 'passkey' ? 'passkey' : 'mfa', `password+${method}`);
    })
    .post(
      '/reauth/second-factor',
      requireSession(deps, { staffWithoutPasskey: true }),
      jsonBody(secondFactorBody),
      async (c) => {
        const body = c.req.valid('json');
        const { account, session } = authOf(c);
        const flow = await loadFlow(store.db, body.flow, ['reauth'], clock.now());
        // A step-up finishes only in the session that started it.
        if (flow.accountId !== account.id || flow.payload.sessionHash !== session.id_hash)
          throw new ApiError(400, 'flow_invalid', 'This step is not valid any more. Please start again.');
        const method = await verifySecondFactor(deps, account, flow, asSecondFactorInput(body), clientIp(c));
        await spendFlow(store.db, flow, clock.now());
        return refreshed(c, method === 'passkey' ? 'passkey' : 'mfa', `password+${method}`);
      },
    )
    .post(
      '/reauth',
      requireSession(deps, { staffWithoutPasskey: true }),
      jsonBody(z.object({ password: z.string().min(1, 'Enter your password.').max(1024) }).strict()),
      async (c) => {
        const { password } = c.req.valid('json');
        const { account, session } = authOf(c);
        const now = clock.now();
        const ip = clientIp(c);
        const key = throttleKey(account.id, '');
        const verdict = await reserveAttempt(store, key, now);
        if (!verdict.allowed) {
          await appendAudit(store.db, { actor: account.id, action: 'reauth.throttled', outcome: 'throttled', ip }, now);
          throw new ApiError(
            429,
            'too_many_attempts',
            'Too many wrong passwords. Please wait a while, or confirm with a passkey.',
          );
        }
        if (!account.password_hash || !(await verifyPassword(account.password_hash, password))) {
          await appendAudit(
            store.db,
            { actor: account.id, action: 'reauth.failed', outcome: 'failure', ip, detail: 'password' },
            now,
          );
          throw new ApiError(401, 'invalid_credentials', 'That password is not right.');
        }
        await clearFailures(store.db, key);
        const factors = await factorSummary(store.db, account.id);
        const methods = secondFactorMethods(account.kind, factors);
        if (methods.length > 0) {
          const flow = await createFlow(store.db, account.id, { purpose: 'reauth', sessionHash: session.id_hash }, now);
          return c.json(secondStep(flow, methods, factors));
        }
        if (account.kind === 'staff')
          throw new ApiError(403, 'passkey_required', 'Staff confirm with a passkey. Add one first.');
        return refreshed(c, 'password', 'password');
      },
    )
    .post('/reauth/passkey-options', requireSession(deps, { staffWithoutPasskey: true }), async (c) => {
      const { account } = authOf(c);
      const { passkeys } = await factorSummary(store.db, account.id);
      if (!passkeys.length)
        throw new ApiError(
          400,
          'method_unavailable',
          'There is no passkey on this account. Confirm with your password.',
        );
      return c.json(
        await authenticationOptions(
          store.db,
          rp(),
          { ceremony: 'authentication', accountId: account.id, use: 'reauth' },
          passkeys,
          clock.now(),
        ),
      );
    })
    .post(
      '/reauth/passkey',
      requireSession(deps, { staffWithoutPasskey: true }),
      jsonBody(z.object({ response: authenticationResponseSchema }).strict()),
      async (c) => {
        const { response } = c.req.valid('json');
        const { account } = authOf(c);
        await checkPasskey(
          deps,
          response,
          { ceremony: 'authentication', accountId: account.id, use: 'reauth' },
          clientIp(c),
        );
        return refreshed(c, 'passkey', 'passkey');
      },
    );
}
