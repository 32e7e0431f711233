import type { Selectable } from 'kysely';
import type { Patient } from 'fhir/r4';
import type { Db, Account } from './sessions.js';
import type { CaregiverGrantTable } from '../store/schema.js';
import type { ClinicInfo } from '../../common/clinic.js';
import { CARE_SCOPES, orderScopes, type CareScope, type GrantKind } from '../../common/caregiver-consent.js';
import { zonedDate } from '../appointments/clinic-time.js';
import { getResource } from '../store/resource-reads.js';

/** A grant as decisions read it: the row with its scopes parsed. */
export interface Grant {
  id: string;
  patientId: string;
  caregiverAccountId: string | null;
  kind: GrantKind;
  scopes: CareScope[];
  endsAt: string | null;
  acceptedAt: string | null;
  revokedAt: string | null;
  leftAt: string | null;
}

/** Scopes stored as JSON text. Unknown words are dropped, never widened into something: a damaged row allows less. */
export function parseScopes(text: string): CareScope[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? orderScopes(parsed.filter((s): s is string => typeof s === 'string')) : [];
  } catch {
    return [];
  }
}

export function grantOf(row: Selectable<CaregiverGrantTable>): Grant {
  return {
    id: row.id,
    patientId: row.patient_id,
    caregiverAccountId: row.caregiver_account_id,
    kind: row.kind,
    scopes: parseScopes(row.scopes),
    endsAt: row.ends_at,
    acceptedAt: row.accepted_at,
    revokedAt: row.revoked_at,
    leftAt: row.left_at,
  };
}

/** The clinic's rules for a guardian's access to a minor (CLINIC_CONFIG `minors`), on its calendar. */
export interface AgeRules {
  timeZone: string;
  narrowAt: number;
  narrowedScopes: readonly CareScope[];
  endsAt: number;
}

export function ageRulesOf(clinic: Pick<ClinicInfo, 'timeZone' | 'minors'>): AgeRules {
  return { timeZone: clinic.timeZone, ...clinic.minors };
}

/**
 * Age in whole years on the calendar day `now` falls on in `timeZone` (a birthday begins at midnight there, not
 * in UTC). A partial FHIR birth date (`2014`, `2014-06`) counts from its earliest possible day, so the age is
 * never under-counted: the older rule applies. A 29 February birthday is reached on 1 March in other years.
 * Undefined when there is no date to read.
 */
export function ageOn(birthDate: string | undefined, now: Date, timeZone: string): number | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birthDate ?? '');
  if (!m) return undefined;
  const born = `${m[2] ?? '01'}-${m[3] ?? '01'}`;
  const today = zonedDate(now, timeZone);
  const years = Number(today.slice(0, 4)) - Number(m[1]);
  return today.slice(5) >= born ? years : years - 1;
}

export type AccessAs = 'self' | GrantKind;
export type DenyReason = 'no-grant' | 'scope' | 'revoked' | 'expired' | 'not-accepted' | 'age';

export type AccessDecision =
  | { allowed: true; as: AccessAs; grantId?: string }
  | { allowed: false; reason: DenyReason; missingScope?: CareScope; grantId?: string };

/** What a grant allows at `now`, or why it allows nothing: the one place the rules are written. */
export type GrantStanding =
  | { live: true; scopes: CareScope[]; narrowedByAge: boolean }
  | { live: false; reason: Exclude<DenyReason, 'no-grant' | 'scope'> };

export function grantStanding(
  grant: Grant,
  patientBirthDate: string | undefined,
  now: Date,
  ageRules: AgeRules,
): GrantStanding {
  if (grant.revokedAt || grant.leftAt) return { live: false, reason: 'revoked' };
  if (!grant.acceptedAt || !grant.caregiverAccountId) return { live: false, reason: 'not-accepted' };
  if (grant.endsAt && Date.parse(grant.endsAt) <= now.getTime()) return { live: false, reason: 'expired' };
  if (grant.kind !== 'guardian') return { live: true, scopes: grant.scopes, narrowedByAge: false };
  // A guardian's access follows the child's age; without a readable birth date it is refused (fail closed).
  const age = ageOn(patientBirthDate, now, ageRules.timeZone);
  if (age === undefined || age >= ageRules.endsAt) return { live: false, reason: 'age' };
  if (age < ageRules.narrowAt) return { live: true, scopes: grant.scopes, narrowedByAge: false };
  const narrowed = grant.scopes.filter((s) => ageRules.narrowedScopes.includes(s));
  return { live: true, scopes: narrowed, narrowedByAge: narrowed.length < grant.scopes.length };
}

export interface AccessQuestion {
  account: Pick<Account, 'id' | 'kind' | 'patient_id'>;
  patientId: string;
  scope: CareScope;
  /** The grants of this account for this patient (others are ignored), read fresh for this request. */
  grants: readonly Grant[];
  patientBirthDate: string | undefined;
  now: Date;
  ageRules: AgeRules;
}

/** When no grant allows, the refusal that helps most: a live grant missing the scope says more than an old one. */
const RANK: Record<Exclude<DenyReason, 'no-grant'>, number> = {
  scope: 5,
  age: 4,
  expired: 3,
  revoked: 2,
  'not-accepted': 1,
};

/**
 * May `account` do `scope` for `patientId` now? Pure: every input is given, nothing is cached. A patient always may
 * for their own record; anyone else only through a grant of theirs for that patient that is accepted, not revoked
 * or left, not past its end date, within the age rules for a guardian, and that includes the scope. Staff get
 * nothing here (the care team's access goes through the staff routes).
 */
export function decideAccess(q: AccessQuestion): AccessDecision {
  const { account, patientId, scope } = q;
  if (!CARE_SCOPES.includes(scope)) return { allowed: false, reason: 'scope', missingScope: scope };
  if (account.kind === 'patient' && account.patient_id === patientId) return { allowed: true, as: 'self' };
  if (account.kind !== 'patient') return { allowed: false, reason: 'no-grant' };
  const mine = q.grants.filter((g) => g.patientId === patientId && g.caregiverAccountId === account.id);
  let best: Extract<AccessDecision, { allowed: false }> = { allowed: false, reason: 'no-grant' };
  for (const grant of mine) {
    const standing = grantStanding(grant, q.patientBirthDate, q.now, q.ageRules);
    let refusal: Extract<AccessDecision, { allowed: false }>;
    if (standing.live) {
      if (standing.scopes.includes(scope)) return { allowed: true, as: grant.kind, grantId: grant.id };
      // Given but taken away by the child's age says "age"; never given says "scope".
      refusal = grant.scopes.includes(scope)
        ? { allowed: false, reason: 'age', missingScope: scope, grantId: grant.id }
        : { allowed: false, reason: 'scope', missingScope: scope, grantId: grant.id };
    } else {
      refusal = { allowed: false, reason: standing.reason, grantId: grant.id };
    }
    if (
      best.reason === 'no-grant' ||
      RANK[refusal.reason as keyof typeof RANK] > RANK[best.reason as keyof typeof RANK]
    )
      best = refusal;
  }
  return best;
}

/** The grants an account holds for a patient, read from the database now (no cache, on purpose). */
export async function grantsFor(db: Db, accountId: string, patientId: string): Promise<Grant[]> {
  const rows = await db
    .selectFrom('caregiver_grant')
    .selectAll()
    .where('caregiver_account_id', '=', accountId)
    .where('patient_id', '=', patientId)
    .execute();
  return rows.map(grantOf);
}

/** The patient's birth date from their FHIR Patient resource, when the record has one. */
export async function patientBirthDate(db: Db, patientId: string): Promise<string | undefined> {
  const found = await getResource(db, 'Patient', patientId);
  return (found?.resource as Patient | undefined)?.birthDate;
}

/**
 * `decideAccess` over the database as it is at this request: the account's grants for the patient and the
 * patient's birth date are read on every call. Nothing is remembered between calls, so a revocation, a narrowed
 * scope or a birthday takes effect at the next request, on every server instance. Routes call this for every
 * request that reads or writes a patient's data ([3/11] phase 2) and answer a refusal like a missing record.
 */
export async function loadAccess(
  db: Db,
  input: { account: Pick<Account, 'id' | 'kind' | 'patient_id'>; patientId: string; scope: CareScope; now: Date },
  clinic: Pick<ClinicInfo, 'timeZone' | 'minors'>,
): Promise<AccessDecision> {
  const { account, patientId } = input;
  // One's own record needs no reads: the same answer decideAccess gives, without a query.
  if (account.kind === 'patient' && account.patient_id === patientId)
    return decideAccess({ ...input, grants: [], patientBirthDate: undefined, ageRules: ageRulesOf(clinic) });
  const grants = account.kind === 'patient' ? await grantsFor(db, account.id, patientId) : [];
  const birthDate = grants.some((g) => g.kind === 'guardian') ? await patientBirthDate(db, patientId) : undefined;
  return decideAccess({ ...input, grants, patientBirthDate: birthDate, ageRules: ageRulesOf(clinic) });
}

/** What an account may do for one patient now, whatever the request: the union of its live grants' scopes. */
export type StandingAccess =
  | { live: true; as: AccessAs; scopes: CareScope[]; grantId?: string }
  | { live: false; reason: DenyReason; grantId?: string };

/**
 * What an account may do for one patient from given grants (pure): self has every scope; a caregiver the union of
 * their live grants' scopes. A live grant left with no scope refuses as 'age' (a child's age took them) or 'scope'.
 */
export function standingOf(
  account: Pick<Account, 'id' | 'kind' | 'patient_id'>,
  patientId: string,
  grants: readonly Grant[],
  patientBirthDate: string | undefined,
  now: Date,
  ageRules: AgeRules,
): StandingAccess {
  if (account.kind === 'patient' && account.patient_id === patientId)
    return { live: true, as: 'self', scopes: [...CARE_SCOPES] };
  if (account.kind !== 'patient') return { live: false, reason: 'no-grant' };
  let best: Extract<StandingAccess, { live: false }> = { live: false, reason: 'no-grant' };
  let found: Extract<StandingAccess, { live: true }> | undefined;
  for (const grant of grants.filter((g) => g.patientId === patientId && g.caregiverAccountId === account.id)) {
    const standing = grantStanding(grant, patientBirthDate, now, ageRules);
    const refusal: Extract<StandingAccess, { live: false }> | undefined = !standing.live
      ? { live: false, reason: standing.reason, grantId: grant.id }
      : standing.scopes.length === 0
        ? { live: false, reason: standing.narrowedByAge ? 'age' : 'scope', grantId: grant.id }
        : undefined;
    if (refusal) {
      if (
        best.reason === 'no-grant' ||
        RANK[refusal.reason as keyof typeof RANK] > RANK[best.reason as keyof typeof RANK]
      )
        best = refusal;
      continue;
    }
    if (!standing.live) continue;
    found = found
      ? { ...found, scopes: orderScopes([...found.scopes, ...standing.scopes]) }
      : { live: true, as: grant.kind, scopes: standing.scopes, grantId: grant.id };
  }
  return found ?? best;
}

/**
 * What `account` may do for `patientId` now, read from the database at this request (no cache): for the record
 * feed and the per-person key, which need any scope, and filter by the ones held.
 */
export async function loadStanding(
  db: Db,
  input: { account: Pick<Account, 'id' | 'kind' | 'patient_id'>; patientId: string; now: Date },
  clinic: Pick<ClinicInfo, 'timeZone' | 'minors'>,
): Promise<StandingAccess> {
  const { account, patientId, now } = input;
  if (account.kind === 'patient' && account.patient_id === patientId)
    return standingOf(account, patientId, [], undefined, now, ageRulesOf(clinic));
  const grants = account.kind === 'patient' ? await grantsFor(db, account.id, patientId) : [];
  const birthDate = grants.some((g) => g.kind === 'guardian') ? await patientBirthDate(db, patientId) : undefined;
  return standingOf(account, patientId, grants, birthDate, now, ageRulesOf(clinic));
}

/** Every person an account holds live access to now (accepted, not ended, within the age rules, some scope). */
export async function livePeopleOf(
  db: Db,
  account: Pick<Account, 'id' | 'kind' | 'patient_id'>,
  now: Date,
  clinic: Pick<ClinicInfo, 'timeZone' | 'minors'>,
): Promise<{ patientId: string; as: GrantKind; scopes: CareScope[]; grantId: string }[]> {
  if (account.kind !== 'patient') return [];
  const grants = (
    await db
      .selectFrom('caregiver_grant')
      .selectAll()
      .where('caregiver_account_id', '=', account.id)
      .where('accepted_at', 'is not', null)
      .where('revoked_at', 'is', null)
      .where('left_at', 'is', null)
      .orderBy('accepted_at')
      .orderBy('id')
      .execute()
  ).map(grantOf);
  const out: { patientId: string; as: GrantKind; scopes: CareScope[]; grantId: string }[] = [];
  for (const patientId of [...new Set(grants.map((g) => g.patientId))]) {
    if (patientId === account.patient_id) continue;
    const mine = grants.filter((g) => g.patientId === patientId);
    const birthDate = mine.some((g) => g.kind === 'guardian') ? await patientBirthDate(db, patientId) : undefined;
    const standing = standingOf(account, patientId, mine, birthDate, now, ageRulesOf(clinic));
    if (standing.live && standing.as !== 'self')
      out.push({ patientId, as: standing.as, scopes: standing.scopes, grantId: standing.grantId! });
  }
  return out;
}
