import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { ApiError, jsonError } from '../errors.js';
import { authOf, clientIp } from './require-session.js';

export type StaffRole = 'clinician' | 'helpdesk' | 'admin';

/**
 * Lets through only staff accounts holding one of `roles` (use after requireSession). Everyone else gets 403, and
 * the attempt is audited: a patient or the wrong role reaching for staff data is worth knowing about (ASVS 8.2).
 */
export function requireRole(deps: AppDeps, ...roles: StaffRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { account } = authOf(c);
    if (account.kind === 'staff' && account.role && roles.includes(account.role)) return next();
    await appendAudit(
      deps.store.db,
      {
        actor: account.id,
        action: 'access.denied',
        outcome: 'denied',
        target: `${c.req.method} ${c.req.path}`,
        ip: clientIp(c),
        detail: `needs ${roles.join('/')}`,
      },
      deps.clock.now(),
    );
    return jsonError(c, 403, 'forbidden', 'Your account is not allowed to do this.');
  };
}

/** Lets through patients only (use after requireSession): for the sign-in factors staff may not use ([4/8]). */
export const patientsOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (authOf(c).account.kind === 'staff')
    throw new ApiError(403, 'staff_passkeys_only', 'Staff accounts use passkeys only.');
  await next();
};
