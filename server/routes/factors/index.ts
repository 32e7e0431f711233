import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../deps.js';
import { factorSummary, passkeyView } from '../../auth/factors.js';
import { authOf, requireSession } from '../../http/require-session.js';
import { maskPhone } from '../../notify/sms.js';
import { passkeyRoutes } from './passkeys.js';
import { recoveryCodeRoutes } from './recovery-codes.js';
import { textRoutes } from './texts.js';
import { totpRoutes } from './totp.js';

/**
 * `/api/factors`: the account's ways of proving itself ([4/8]), for Account → Security. Adding or removing any of
 * them, and new recovery codes, need a fresh authentication (step-up, 5 minutes). Each change is audited and the
 * account holder is emailed. The first second factor of a patient comes with ten recovery codes, shown once.
 * Staff use passkeys only (and may add one before anything else is open to them).
 */
export function factorRoutes(deps: AppDeps) {
  const { store } = deps;
  return new Hono<AppEnv>()
    .get('/', requireSession(deps, { staffWithoutPasskey: true }), async (c) => {
      const { account } = authOf(c);
      const f = await factorSummary(store.db, account.id);
      return c.json({
        passkeys: f.passkeys.map(passkeyView),
        totp: f.totp,
        sms: f.smsPhone ? { to: maskPhone(f.smsPhone) } : null,
        recoveryCodesLeft: f.recoveryCodesLeft,
        staff: account.kind === 'staff',
      });
    })
    .route('/passkeys', passkeyRoutes(deps))
    .route('/totp', totpRoutes(deps))
    .route('/sms', textRoutes(deps))
    .route('/recovery-codes', recoveryCodeRoutes(deps));
}
