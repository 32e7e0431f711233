import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppDeps, AppEnv, AuthContext } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { lookupSession } from '../auth/sessions.js';
import { jsonError } from '../errors.js';
import { clearSessionCookie, readSessionCookie } from './session-cookie.js';

/** The caller's address as the socket saw it (no proxy headers are trusted); null in in-process tests. */
export function clientIp(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/**
 * Lets a request through only with an active session, and puts the account and session on the context. A session
 * that the server has just ended for idleness or age is audited as a timeout. `touch: false` (status polls) does
 * not count as activity.
 */
export function requireSession(
  deps: AppDeps,
  options: { touch?: boolean | 'always'; staffWithoutPasskey?: boolean } = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const now = deps.clock.now();
    const found = await lookupSession(
      deps.store.db,
      readSessionCookie(c),
      now,
      deps.config.session,
      options.touch ?? true,
    );
    if (found.status === 'active') {
      c.set('auth', { account: found.account, session: found.session, idleExpiresAt: found.idleExpiresAt });
      // Staff must use passkeys ([4/8]): a staff session signed in any other way may only add a passkey.
      if (found.account.kind === 'staff' && found.session.auth_level !== 'passkey' && !options.staffWithoutPasskey) {
        return jsonError(
          c,
          403,
          'passkey_required',
          'Staff sign in with a passkey. Add one in Account → Security first.',
        );
      }
      return next();
    }
    if (found.status === 'ended') {
      if (found.justEnded) {
        await appendAudit(
          deps.store.db,
          {
            actor: found.accountId,
            action: 'session.timeout',
            outcome: 'success',
            ip: clientIp(c),
            detail: found.reason,
          },
          now,
        );
      }
      clearSessionCookie(c);
      const message =
        found.reason === 'idle-timeout'
          ? 'You were signed out after a period of inactivity. Please sign in again.'
          : 'Your session has ended. Please sign in again.';
      return c.json({ error: 'session_ended', reason: found.reason, message }, 401);
    }
    return jsonError(c, 401, 'not_signed_in', 'Please sign in.');
  };
}

/** The signed-in account and session of a request that passed requireSession. */
export function authOf(c: Context<AppEnv>): AuthContext {
  const auth = c.get('auth');
  if (!auth) throw new Error('authOf() used on a route without requireSession()');
  return auth;
}

/**
 * Step-up (SECURITY.md): within `config.session.freshMs` (5 minutes) of the last sign-in or re-authentication.
 * Adding or removing a factor, changing email or phone, new recovery codes (and later adding a caregiver,
 * exporting records) need a sign-in or re-authentication within the last five minutes. Goes after requireSession.
 */
export function requireFreshAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { session } = authOf(c);
    if (deps.clock.now().getTime() - Date.parse(session.authenticated_at) > deps.config.session.freshMs) {
      return c.json(
        { error: 'reauth_required', message: 'For your safety, please confirm it is you before making this change.' },
        403,
      );
    }
    return next();
  };
}
