import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { sessionInfo } from '../auth/sign-in.js';
import { createSession, type Account } from '../auth/sessions.js';
import type { AuthLevel } from '../store/schema.js';
import { clientIp } from './require-session.js';
import { setSessionCookie } from './session-cookie.js';

/** A new session after a complete sign-in: new id, cookie, audit entry; answers with sessionInfo. */
export async function startSession(c: Context<AppEnv>, deps: AppDeps, account: Account, level: AuthLevel, how: string) {
  const now = deps.clock.now();
  const ip = clientIp(c);
  const userAgent = c.req.header('user-agent');
  const session = await createSession(
    deps.store.db,
    account.id,
    { ip, userAgent, authLevel: level },
    now,
    deps.config.session,
  );
  await appendAudit(
    deps.store.db,
    { actor: account.id, onBehalfOf: account.patient_id, action: 'sign-in', outcome: 'success', ip, detail: how },
    now,
  );
  setSessionCookie(c, session.token);
  const at = now.toISOString();
  const idleExpiresAt = new Date(now.getTime() + deps.config.session.idleMs);
  return c.json(
    await sessionInfo(
      deps,
      account,
      { expires_at: session.expiresAt.toISOString(), auth_level: level, authenticated_at: at },
      idleExpiresAt,
    ),
  );
}
