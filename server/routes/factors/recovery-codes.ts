import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../deps.js';
import { appendAudit } from '../../audit/log.js';
import { factorSummary, hasSecondFactor, replaceRecoveryCodes } from '../../auth/factors.js';
import { tellHolder } from '../../auth/holder-notice.js';
import { ApiError } from '../../errors.js';
import { patientsOnly } from '../../http/require-role.js';
import { authOf, clientIp, requireFreshAuth, requireSession } from '../../http/require-session.js';

/** `/api/factors/recovery-codes`: ten new recovery codes, shown once; the old ones stop working. */
export function recoveryCodeRoutes(deps: AppDeps) {
  const { store, clock } = deps;
  const signedIn = requireSession(deps, { staffWithoutPasskey: true });
  const fresh = requireFreshAuth(deps);

  return new Hono<AppEnv>().post('/', signedIn, patientsOnly, fresh, async (c) => {
    const { account } = authOf(c);
    if (!hasSecondFactor(await factorSummary(store.db, account.id))) {
      throw new ApiError(
        409,
        'no_second_factor',
        'Recovery codes come with a passkey, an authenticator app or text codes. Set up one of those first.',
      );
    }
    const now = clock.now();
    const recoveryCodes = await replaceRecoveryCodes(store.db, account.id, now);
    await appendAudit(
      store.db,
      {
        actor: account.id,
        action: 'recovery-codes.created',
        outcome: 'success',
        ip: clientIp(c),
        detail: 'regenerated',
      },
      now,
    );
    tellHolder(
      deps,
      account,
      'New recovery codes were made',
      'New recovery codes were made for your portal account. The old ones no longer work.',
    );
    return c.json({ recoveryCodes }, 201);
  });
}
