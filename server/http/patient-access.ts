import type { Context } from 'hono';
import type { Patient } from 'fhir/r4';
import type { AppDeps, AppEnv } from '../deps.js';
import type { AuditAction } from '../../common/audit-actions.js';
import type { CareScope } from '../../common/caregiver-consent.js';
import type { OnBehalf } from '../../common/on-behalf.js';
import { appendAudit } from '../audit/log.js';
import { loadAccess, type AccessAs, type AccessDecision } from '../auth/record-access.js';
import { ApiError } from '../errors.js';
import { patientDisplayName } from '../fhir/patient-name.js';
import { getResource } from '../store/resource-reads.js';
import { authOf, clientIp } from './require-session.js';

// The one door of every patient-facing route ([3/11] phase 2): may the signed-in account do `scope` for this
// patient now? Decided by loadAccess from the grants as they stand at this request (nothing cached).

/** What each scope lets a caregiver do, in the words of a refusal ("… has not allowed you to …"). */
const DOING: Record<CareScope, string> = {
  records: 'read their health record',
  appointments: 'see or book their appointments',
  messages: 'read or write their messages',
  refills: 'request refills for them',
};

export interface PatientAccess {
  patientId: string;
  as: AccessAs;
  grantId?: string;
  /** Set when someone other than the patient acts: the caregiver, to be named on what they write. */
  onBehalf?: OnBehalf;
}

export interface AccessAsk {
  patientId: string;
  scope: CareScope;
  /** The audit action of a refusal (`record.access-denied`, `message.access-denied`, …). */
  deniedAction: AuditAction;
  /** What was reached for, for the audit entry (default `Patient/<id>`). */
  target?: string;
  /** The 404 sentence, the same as for a record that does not exist. */
  notFound: string;
}

async function nameOf(deps: AppDeps, patientId: string): Promise<string> {
  const patient = (await getResource(deps.store.db, 'Patient', patientId))?.resource as Patient | undefined;
  return patientDisplayName(patient, 'This person');
}

/** The 403 of a live grant without the scope: which one is missing, and who can add it. */
export async function missingScope(
  deps: AppDeps,
  patientId: string,
  scope: CareScope,
  byAge: boolean,
): Promise<ApiError> {
  const name = await nameOf(deps, patientId);
  const message = byAge
    ? `${name} is now old enough that a parent or guardian may no longer ${DOING[scope]}. ${name} and the care team decide this; please call ${deps.config.clinic.support.phone}.`
    : `${name} has not allowed you to ${DOING[scope]}. They can add it in Account → Sharing.`;
  return new ApiError(403, 'missing_scope', message, undefined, { code: 'missing_scope', scope });
}

/** Audits a refused request for a patient's data (who, what, why), outside any transaction. */
export async function auditRefusal(
  c: Context<AppEnv>,
  deps: AppDeps,
  event: { action: AuditAction; target: string; patientId?: string; detail?: string },
): Promise<void> {
  await appendAudit(
    deps.store.db,
    {
      actor: authOf(c).account.id,
      ...(event.patientId ? { onBehalfOf: event.patientId } : {}),
      action: event.action,
      outcome: 'denied',
      ip: clientIp(c),
      target: event.target.slice(0, 200),
      ...(event.detail ? { detail: event.detail } : {}),
    },
    deps.clock.now(),
  );
}

/**
 * Lets the request go on only if the signed-in account may do `scope` for the patient now; otherwise throws:
 * a live grant without the scope (or one a child's age has narrowed) is a 403 `missing_scope` naming it, every other
 * refusal the same 404 as a record that does not exist. Each refusal is audited.
 */
export async function requirePatientAccess(c: Context<AppEnv>, deps: AppDeps, ask: AccessAsk): Promise<PatientAccess> {
  const { account } = authOf(c);
  const decision: AccessDecision = await loadAccess(
    deps.store.db,
    { account, patientId: ask.patientId, scope: ask.scope, now: deps.clock.now() },
    deps.config.clinic,
  );
  if (decision.allowed)
    return {
      patientId: ask.patientId,
      as: decision.as,
      ...(decision.grantId ? { grantId: decision.grantId } : {}),
      ...(decision.as === 'self' ? {} : { onBehalf: { name: account.display_name, accountId: account.id } }),
    };
  const scoped = decision.reason === 'scope' || decision.reason === 'age';
  // Only someone holding a live grant learns that the person exists; the rest get "not found".
  await auditRefusal(c, deps, {
    action: ask.deniedAction,
    target: ask.target ?? `Patient/${ask.patientId}`,
    ...(scoped ? { patientId: ask.patientId } : {}),
    detail: scoped ? `missing scope ${ask.scope}` : decision.reason,
  });
  if (scoped) throw await missingScope(deps, ask.patientId, ask.scope, decision.reason === 'age');
  throw new ApiError(404, 'not_found', ask.notFound);
}
