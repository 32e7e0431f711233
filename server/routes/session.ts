import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { findAccountByLogin, normalizeEmail, normalizeUsername } from '../auth/accounts.js';
import { clearFailures, reserveAttempt, throttleKey } from '../auth/login-throttle.js';
import { dummyHash, verifyPassword } from '../auth/password-hash.js';
import { endSession, listOpenSessions } from '../auth/sessions.js';
import { factorSummary, secondFactorMethods } from '../auth/factors.js';
import { createFlow } from '../auth/auth-flow.js';
import { secondStep, sessionInfo } from '../auth/sign-in.js';
import { FREE_ATTEMPTS, waitPhrase } from '../auth/throttle.js';
import { jsonBody } from '../http/json-body.js';
import { sendInBackground } from '../notify/mailer.js';
import { authOf, clientIp, requireSession } from '../http/require-session.js';
import { clearSessionCookie } from '../http/session-cookie.js';
import { startSession } from '../http/start-session.js';

const signInBody = z
  .object({
    login: z.string().trim().min(1, 'Enter your username or email address.').max(254),
    password: z.string().min(1, 'Enter your password.').max(1024),
  })
  .strict();

const INVALID = {
  error: 'invalid_credentials',
  message: 'That username or password is not right. Check them and try again.',
};

/**
 * `/api/session`: sign in (POST), who am I (GET, not counted as activity), stay signed in (POST /keepalive),
 * sign out (DELETE), and the account's sessions (GET /all, DELETE /all/:handle).
 */
export function sessionRoutes(deps: AppDeps) {
  const { store, clock, config, mailer, logger } = deps;
  const policy = config.session;
  const summary = (c: Context<AppEnv>) => {
    const { account, session, idleExpiresAt } = authOf(c);
    return sessionInfo(deps, account, session, idleExpiresAt);
  };

  return (
    new Hono<AppEnv>()
      .post('/', jsonBody(signInBody), async (c) => {
        const body = c.req.valid('json');
        const now = clock.now();
        const ip = clientIp(c);
        const account = await findAccountByLogin(store.db, body.login);
        const key = throttleKey(
          account?.id,
          body.login.includes('@') ? normalizeEmail(body.login) : normalizeUsername(body.login),
        );
        const verdict = await reserveAttempt(store, key, now);
        if (!verdict.allowed) {
          await appendAudit(
            store.db,
            {
              actor: account?.id ?? null,
              action: 'sign-in.throttled',
              outcome: 'throttled',
              ip,
              detail: verdict.reason,
            },
            now,
          );
          if (verdict.reason === 'disabled') {
            return c.json(
              {
                error: 'sign_in_disabled',
                message:
                  'Signing in with a password is blocked after too many wrong attempts. Reset your password, or call support.',
              },
              429,
            );
          }
          const seconds = Math.ceil(verdict.retryAfterMs / 1000);
          c.header('Retry-After', String(seconds));
          return c.json(
            {
              error: 'too_many_attempts',
              retryAfterSeconds: seconds,
              message: `Too many wrong attempts. Please wait ${waitPhrase(verdict.retryAfterMs)} and try again.`,
            },
            429,
          );
        }
        // The same work whether or not the account exists: one argon2id verification (no timing oracle).
        const matches = await verifyPassword(account?.password_hash ?? (await dummyHash()), body.password);
        if (!matches || !account || account.disabled_at) {
          const failures = verdict.failures; // charged when the attempt was reserved
          await appendAudit(
            store.db,
            {
              actor: account?.id ?? null,
              action: 'sign-in.failed',
              outcome: 'failure',
              ip,
              detail: `consecutive failures: ${failures}`,
            },
            now,
          );
          if (account && failures === FREE_ATTEMPTS) {
            // Tell the holder without slowing this answer (the answer must not reveal that the account exists).
            sendInBackground(mailer, logger, {
              to: account.email,
              subject: `Sign-in attempts on your ${config.clinic.name} account`,
              text: `Someone tried to sign in to your ${config.clinic.name} portal account with a wrong password ${failures} times. Further attempts are now slowed down.\n\nIf this was you, wait a little and try again, or reset your password at ${config.publicOrigin}/forgot-password.\nIf it was not you, your account is safe; consider adding a passkey in Account → Security.`,
            });
          }
          return c.json(INVALID, 401);
        }
        await clearFailures(store.db, key); // the password was right
        if (!account.email_verified_at) {
          await appendAudit(store.db, { actor: account.id, action: 'sign-in.unverified', outcome: 'denied', ip }, now);
          return c.json(
            {
              error: 'email_unverified',
              message: 'Please confirm your email address first: open the link in the email we sent you.',
            },
            403,
          );
        }
        // A password needs a second factor once the account has one ([4/8]); staff who have a passkey must use it.
        const factors = await factorSummary(store.db, account.id);
        if (account.kind === 'staff' && factors.passkeys.length === 0) {
          // A staff member's first passkey is added only in the session their set-up link opened: a phished or
          // reset password alone must never lead to staff access.
          await appendAudit(store.db, { actor: account.id, action: 'sign-in.no-passkey', outcome: 'denied', ip }, now);
          return c.json(
            {
              error: 'passkey_setup_required',
              message:
                'Staff sign in with a passkey, and this account has none yet. Open the set-up link from your email again to add one (it works for 7 days), or ask an administrator for a new link.',
            },
            403,
          );
        }
        const methods = secondFactorMethods(account.kind, factors);
        if (methods.length > 0) {
          const flow = await createFlow(store.db, account.id, { purpose: 'sign-in' }, now);
          await appendAudit(
            store.db,
            { actor: account.id, action: 'sign-in.password-ok', outcome: 'success', ip, detail: 'second factor asked' },
            now,
          );
          return c.json(secondStep(flow, methods, factors));
        }
        return startSession(c, deps, account, 'password', 'password');
      })
      .get('/', requireSession(deps, { touch: false, staffWithoutPasskey: true }), async (c) =>
        c.json(await summary(c)),
      )
      .post('/keepalive', requireSession(deps, { touch: 'always', staffWithoutPasskey: true }), async (c) =>
        c.json(await summary(c)),
      )
      .delete('/', requireSession(deps, { touch: false, staffWithoutPasskey: true }), async (c) => {
        const { session, account } = authOf(c);
        const now = clock.now();
        await endSession(store.db, session.id_hash, 'signed-out', now);
        await appendAudit(
          store.db,
          { actor: account.id, action: 'sign-out', outcome: 'success', ip: clientIp(c) },
          now,
        );
        clearSessionCookie(c);
        return c.body(null, 204);
      })
      // "Remove my data from this device" / shared computer: the browser deletes this origin's cookies, storage and
      // caches (W3C Clear-Site-Data). No session needed: it only ever removes.
      .post('/forget-device', (c) => {
        c.header('Clear-Site-Data', '"cache", "cookies", "storage"');
        return c.body(null, 204);
      })
      .get('/all', requireSession(deps, { staffWithoutPasskey: true }), async (c) => {
        const { session, account } = authOf(c);
        const rows = await listOpenSessions(store.db, account.id, clock.now(), policy);
        return c.json({
          sessions: rows.map((r) => ({
            handle: r.id_hash.slice(0, 16),
            current: r.id_hash === session.id_hash,
            createdAt: r.created_at,
            lastActiveAt: r.last_seen_at,
            ip: r.ip,
            userAgent: r.user_agent,
          })),
        });
      })
      .delete('/all/:handle', requireSession(deps, { staffWithoutPasskey: true }), async (c) => {
        const { account } = authOf(c);
        const handle = c.req.param('handle');
        const now = clock.now();
        const rows = /^[0-9a-f]{16}$/.test(handle) ? await listOpenSessions(store.db, account.id, now, policy) : [];
        const target = rows.find((r) => r.id_hash.startsWith(handle));
        if (!target) return c.json({ error: 'not_found', message: 'That session has already ended.' }, 404);
        await endSession(store.db, target.id_hash, 'ended-by-user', now);
        await appendAudit(
          store.db,
          { actor: account.id, action: 'session.end', outcome: 'success', ip: clientIp(c), target: handle },
          now,
        );
        return c.body(null, 204);
      })
  );
}
