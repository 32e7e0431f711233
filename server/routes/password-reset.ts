import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { normalizeEmail } from '../auth/accounts.js';
import { clearFailures, reserveAttempt, throttleKey } from '../auth/login-throttle.js';
import { hashPassword } from '../auth/password-hash.js';
import { requireAcceptablePassword } from '../auth/password-check.js';
import { endAllSessions } from '../auth/sessions.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { spendLinkToken, usableLinkToken } from '../auth/link-tokens.js';
import { ApiError } from '../errors.js';
import { jsonBody } from '../http/json-body.js';
import { sendInBackground } from '../notify/mailer.js';
import { clientIp } from '../http/require-session.js';
import { withTransaction } from '../store/store.js';
import { factorSummary, hasSecondFactor, secondFactorMethods } from '../auth/factors.js';
import { createFlow, loadFlow, spendFlow, type Flow } from '../auth/auth-flow.js';
import { verifySecondFactor } from '../auth/second-factor.js';
import { asSecondFactorInput, secondFactorBody, secondStep } from '../auth/sign-in.js';
import { NEUTRAL_REPLY_MS, sleepUntil } from '../http/neutral-reply.js';

const HOUR = 3600_000;
const RESET_TEXTS = {
  renew: 'or ask for a new one',
  lifetime: 'one hour',
  afterUse: 'Ask for a new one if you still need to reset your password.',
};

/**
 * `/api/password-reset`: "forgot password" sends a single-use link valid one hour (stored hashed); the answer is
 * the same whether or not the address has an account. Using the link sets the new password, ends every session of
 * the account, clears its sign-in throttle, and tells the holder by email.
 */
export function passwordResetRoutes(deps: AppDeps) {
  const { store, clock, config, mailer, logger } = deps;
  const neutral = {
    status: 'check-email',
    message:
      'If this address belongs to an account, we have sent it a link to choose a new password. The link works once, within one hour.',
  };
  const sendLater = (to: string, subject: string, text: string) =>
    sendInBackground(mailer, logger, { to, subject, text });

  return (
    new Hono<AppEnv>()
      .post(
        '/',
        jsonBody(z.object({ email: z.email('Enter the email address of your account.').max(254) }).strict()),
        async (c) => {
          const { email } = c.req.valid('json');
          const now = clock.now();
          const address = normalizeEmail(email);
          // Requests per address are limited like failures, so the form cannot be used to flood someone's inbox.
          const key = `reset:${hashToken(address)}`;
          const started = performance.now();
          const verdict = await reserveAttempt(store, key, now, { neverDisable: true });
          if (!verdict.allowed) {
            await sleepUntil(started + NEUTRAL_REPLY_MS);
            return c.json(neutral, 202);
          }
          const account = await store.db
            .selectFrom('account')
            .select(['id', 'email', 'email_verified_at', 'disabled_at'])
            .where('email', '=', address)
            .executeTakeFirst();
          await appendAudit(
            store.db,
            {
              actor: account?.id ?? null,
              action: 'password-reset.requested',
              outcome: account ? 'success' : 'failure',
              ip: clientIp(c),
            },
            now,
          );
          if (account?.email_verified_at && !account.disabled_at) {
            const token = newToken();
            await store.db
              .insertInto('one_time_token')
              .values({
                hash: hashToken(token),
                purpose: 'reset-password',
                account_id: account.id,
                patient_id: null,
                created_at: now.toISOString(),
                expires_at: new Date(now.getTime() + HOUR).toISOString(),
                used_at: null,
                payload: null,
              })
              .execute();
            sendLater(
              account.email,
              `Choose a new password for ${config.clinic.name}`,
              `Someone (we hope you) asked to reset the password of your portal account. To choose a new one, open this link within one hour:\n\n` +
                `${config.publicOrigin}/reset-password#token=${token}\n\nIf you did not ask, ignore this email: your password stays as it is.`,
            );
          }
          // The same moment for a known and an unknown address: the token write must not show in the timing.
          await sleepUntil(started + NEUTRAL_REPLY_MS);
          return c.json(neutral, 202);
        },
      )
      // Opening the link: does this account also need its second factor? (A reset never bypasses it: SECURITY.md.)
      .post('/start', jsonBody(z.object({ token: z.string().min(20).max(100) }).strict()), async (c) => {
        const { token } = c.req.valid('json');
        const now = clock.now();
        const row = await usableLinkToken(store.db, token, 'reset-password', now, RESET_TEXTS);
        const account = await store.db
          .selectFrom('account')
          .selectAll()
          .where('id', '=', row.account_id!)
          .executeTakeFirstOrThrow();
        const factors = await factorSummary(store.db, account.id);
        const methods = secondFactorMethods(account.kind, factors);
        if (!hasSecondFactor(factors) || methods.length === 0) return c.json({ secondFactor: null });
        const flow = await createFlow(store.db, account.id, { purpose: 'reset', resetHash: row.hash }, now);
        return c.json({ secondFactor: secondStep(flow, methods, factors) });
      })
      .post(
        '/confirm',
        jsonBody(
          z
            .object({
              token: z.string().min(20).max(100),
              password: z.string().min(1, 'Choose a password.').max(1024),
              secondFactor: secondFactorBody.optional(),
            })
            .strict(),
        ),
        async (c) => {
          const body = c.req.valid('json');
          const now = clock.now();
          const row = await usableLinkToken(store.db, body.token, 'reset-password', now, RESET_TEXTS);
          const account = await store.db
            .selectFrom('account')
            .selectAll()
            .where('id', '=', row.account_id!)
            .executeTakeFirstOrThrow();
          requireAcceptablePassword(body.password, { personal: [account.username, account.email] });
          const factors = await factorSummary(store.db, account.id);
          let flow: Flow | undefined;
          if (hasSecondFactor(factors)) {
            if (!body.secondFactor)
              throw new ApiError(
                403,
                'second_factor_required',
                'This account has a second factor: confirm with it to choose a new password.',
              );
            flow = await loadFlow(store.db, body.secondFactor.flow, ['reset'], now);
            if (flow.accountId !== account.id || flow.payload.resetHash !== row.hash)
              throw new ApiError(400, 'flow_invalid', 'This step is not valid any more. Please open the link again.');
            await verifySecondFactor(deps, account, flow, asSecondFactorInput(body.secondFactor), clientIp(c));
          }
          const passwordHash = await hashPassword(body.password);
          const ended = await withTransaction(store, async (trx) => {
            await spendLinkToken(trx, row, now, RESET_TEXTS.afterUse);
            if (flow) await spendFlow(trx, flow, now);
            // Every other reset link of the account dies with this one, and the reset counter starts again.
            await trx
              .updateTable('one_time_token')
              .set({ used_at: now.toISOString() })
              .where('account_id', '=', account.id)
              .where('purpose', '=', 'reset-password')
              .where('used_at', 'is', null)
              .execute();
            await clearFailures(trx, `reset:${hashToken(account.email)}`);
            await trx
              .updateTable('account')
              .set({ password_hash: passwordHash })
              .where('id', '=', account.id)
              .execute();
            await clearFailures(trx, throttleKey(account.id, ''));
            const count = await endAllSessions(trx, account.id, 'password-reset', now);
            await appendAudit(
              trx,
              {
                actor: account.id,
                action: 'password-reset',
                outcome: 'success',
                ip: clientIp(c),
                detail: `sessions ended: ${count}`,
              },
              now,
            );
            return count;
          });
          sendLater(
            account.email,
            `Your ${config.clinic.name} password was changed`,
            `The password of your portal account was just changed${ended ? `, and ${ended} signed-in session(s) were ended` : ''}.\n\n` +
              `If this was you, there is nothing more to do. If it was not, call us now on ${config.clinic.support.phone}.`,
          );
          return c.json({ status: 'password-changed', message: 'Your password is changed. Please sign in with it.' });
        },
      )
  );
}
