import type { AppDeps } from '../deps.js';
import type { AuditAction } from '../../common/audit-actions.js';
import { appendAudit } from '../audit/log.js';
import { factorSummary, hasSecondFactor, replaceRecoveryCodes } from './factors.js';
import { tellHolder } from './holder-notice.js';
import type { Account } from './sessions.js';

export interface FactorChange {
  /** The audit action, e.g. `passkey.added`. */
  action: AuditAction;
  /** The email to the holder: its subject and its sentence. */
  subject: string;
  sentence: string;
  /** Whether the account had a second factor before this change (a first one comes with recovery codes). */
  hadFactor: boolean;
  target?: string;
}

/**
 * After a sign-in factor was added or removed: audit, email, and (for a patient's first second factor) ten recovery
 * codes to show once.
 */
export async function factorChanged(deps: AppDeps, account: Account, ip: string | null, change: FactorChange) {
  const { store, clock } = deps;
  const now = clock.now();
  const { action, target } = change;
  await appendAudit(
    store.db,
    { actor: account.id, action, outcome: 'success', ip, ...(target ? { target } : {}) },
    now,
  );
  tellHolder(deps, account, change.subject, change.sentence);
  if (change.hadFactor || account.kind === 'staff') return {};
  const factors = await factorSummary(store.db, account.id);
  if (!hasSecondFactor(factors) || factors.recoveryCodesLeft > 0) return {};
  const recoveryCodes = await replaceRecoveryCodes(store.db, account.id, now);
  await appendAudit(store.db, { actor: account.id, action: 'recovery-codes.created', outcome: 'success', ip }, now);
  return { recoveryCodes };
}
