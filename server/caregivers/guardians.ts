import { randomUUID } from 'node:crypto';
import type { Patient } from 'fhir/r4';
import type { ClinicInfo } from '../../common/clinic.js';
import { isMrn } from '../../common/patient-shared.js';
import type { AppDeps } from '../deps.js';
import type { Db } from '../auth/sessions.js';
import { normalizeEmail } from '../auth/accounts.js';
import { newActivationCode, normalizeActivationCode } from '../auth/activation-code.js';
import { ageOn } from '../auth/record-access.js';
import { hashToken } from '../auth/tokens.js';
import { ApiError } from '../errors.js';
import { patientDisplayName } from '../fhir/patient-name.js';
import { sendInBackground, type Mail } from '../notify/mailer.js';
import { findByIdentifier, getResource } from '../store/resource-reads.js';
import { withTransaction, type Store } from '../store/store.js';
import {
  CARE_SCOPES,
  CURRENT_GUARDIAN_ATTESTATION,
  orderScopes,
  scopesInWords,
  type CareScope,
} from '../../common/caregiver-consent.js';
import {
  auditGrant,
  grantDetail,
  grantState,
  insertInvitation,
  INVITE_DAYS,
  isOpen,
  patientAccount,
  type GrantRow,
  endGrant,
} from './grants.js';
import { grantMails, partiesOf } from './notices.js';

// Guardians of minors ([3/11]): the care team (a staff member on /staff/guardians, or the operator with
// `npm run cli -- guardian add`) gives a child's parent or guardian access to the child's record. The guardian
// activates it with a single-use code (mailed as a link, and handed over on paper), through the same
// /caregiver-invite page and API as a patient's invitation. What the access allows on a given day follows the
// child's age by CLINIC_CONFIG `minors` (server/auth/record-access.ts, `grantStanding`), on every request.

const DAY = 24 * 3600_000;
type Clinic = Pick<ClinicInfo, 'timeZone' | 'minors'>;

/** A patient record as the care team finds it: by its id or by its medical record number. */
export interface ChildRecord {
  id: string;
  name: string;
  birthDate: string | null;
  mrn: string | null;
}

/**
 * The patient whose id or medical record number is `ref`, or undefined. An MRN held by two records is refused
 * (409) rather than guessed at.
 */
export async function findPatientRecord(db: Db, ref: string): Promise<ChildRecord | undefined> {
  const wanted = ref.trim();
  if (!wanted) return undefined;
  const recordOf = (id: string, p: Patient): ChildRecord => ({
    id,
    name: patientDisplayName(p, 'Unnamed patient'),
    birthDate: p.birthDate ?? null,
    mrn: p.identifier?.find(isMrn)?.value ?? null,
  });
  const byId = (await getResource(db, 'Patient', wanted))?.resource as Patient | undefined;
  if (byId) return recordOf(wanted, byId);
  const matches: ChildRecord[] = [];
  for (const id of await findByIdentifier(db, 'Patient', { value: wanted })) {
    const p = (await getResource(db, 'Patient', id))?.resource as Patient | undefined;
    if (p?.identifier?.some((i) => i.value === wanted && isMrn(i))) matches.push(recordOf(id, p));
  }
  if (matches.length > 1)
    throw new ApiError(409, 'mrn_ambiguous', `More than one record has the MRN ${wanted}: use the patient id instead.`);
  return matches[0];
}

/** Where a child stands under the clinic's age rules today: all that was given, narrowed, or too old. */
export type MinorStage = 'child' | 'narrowed' | 'adult' | 'unknown';

export function minorStage(birthDate: string | null, now: Date, clinic: Clinic): { age?: number; stage: MinorStage } {
  const age = ageOn(birthDate ?? undefined, now, clinic.timeZone);
  if (age === undefined) return { stage: 'unknown' };
  const { narrowAt, endsAt } = clinic.minors;
  return { age, stage: age >= endsAt ? 'adult' : age >= narrowAt ? 'narrowed' : 'child' };
}

/** The clinic's age rules in words, for the guardian's mail and the care team's screens. */
export function ageRulesInWords(name: string, clinic: Clinic): string {
  const { narrowAt, narrowedScopes, endsAt } = clinic.minors;
  const narrowed = orderScopes(narrowedScopes);
  const from =
    narrowAt >= endsAt
      ? ''
      : narrowed.length
        ? `From age ${narrowAt}, you may only ${scopesInWords(narrowed)} (of what you were given). `
        : `From age ${narrowAt}, you may no longer see or do anything for them. `;
  return `${from}At ${endsAt} your access ends, unless ${name} shares their record with you again themselves.`;
}

/** A typed guardian code compared as it was stored: case, spaces and dashes do not matter. Other tokens as they are. */
export function inviteTokenKey(typed: string): string {
  const trimmed = typed.trim();
  return /^[0-9A-Za-z]{4}([\s-]?[0-9A-Za-z]{4}){3}$/.test(trimmed) ? normalizeActivationCode(trimmed) : trimmed;
}

export interface GuardianRequest {
  /** The child's patient id or medical record number. */
  patient: string;
  name: string;
  email: string;
  /** All four unless given. */
  scopes?: readonly CareScope[];
}

export interface GuardianSetUp {
  row: GrantRow;
  child: ChildRecord & { age: number; stage: MinorStage };
  /** The activation code, shown once (only its hash is kept); the link carries it. */
  code: string;
  link: string;
  expiresAt: string;
}

/**
 * Sets up a guardian for a child: refuses (4xx, with a sentence) a record that is unknown, has no date of birth,
 * or whose patient is not a minor by the clinic's rules in its time zone today, and a second open grant for the
 * same address. In one transaction: the grant (kind `guardian`, created by `actor`), the care team's attestation
 * (`caregiver_consent`, the guardian text's version, accepted by `actor`), the single-use activation code as a
 * `caregiver-invite` token (its hash, 7 days), and the audit entry. Mails nothing: see `announceGuardian`.
 */
export async function addGuardian(
  store: Store,
  request: GuardianRequest,
  by: { actor: string; ip: string | null; attestation: string },
  now: Date,
  config: { clinic: Clinic; publicOrigin: string },
): Promise<GuardianSetUp> {
  const { clinic } = config;
  if (by.attestation !== CURRENT_GUARDIAN_ATTESTATION.version)
    throw new ApiError(
      409,
      'attestation_outdated',
      `The attestation text has changed (it is now version ${CURRENT_GUARDIAN_ATTESTATION.version}). Read it and confirm it again.`,
    );
  const email = normalizeEmail(request.email);
  const name = request.name.trim();
  const scopes = orderScopes(request.scopes ?? CARE_SCOPES);
  if (!name)
    throw new ApiError(400, 'invalid_name', 'Enter the guardian’s name.', [
      { path: 'name', message: 'Enter their name.' },
    ]);
  if (scopes.length === 0)
    throw new ApiError(400, 'invalid_scopes', 'Choose at least one thing the guardian may do.', [
      { path: 'scopes', message: 'Choose at least one.' },
    ]);
  const child = await findPatientRecord(store.db, request.patient);
  if (!child)
    throw new ApiError(404, 'patient_not_found', `There is no patient with the id or MRN ${request.patient.trim()}.`);
  const { age, stage } = minorStage(child.birthDate, now, clinic);
  if (stage === 'unknown' || age === undefined)
    throw new ApiError(
      409,
      'no_birth_date',
      `${child.name}’s record has no date of birth, so the age rules for guardians cannot apply. Correct the record first.`,
    );
  if (stage === 'adult')
    throw new ApiError(
      409,
      'not_a_minor',
      `${child.name} is ${age} (born ${child.birthDate}): a parent’s or guardian’s access ends at ${clinic.minors.endsAt} at this clinic. An adult shares their record themselves, in Account → Sharing.`,
    );
  const holder = await patientAccount(store.db, child.id);
  if (holder?.email === email)
    throw new ApiError(400, 'own_email', `That is ${child.name}’s own email address: enter the guardian’s.`, [
      { path: 'email', message: 'That is the patient’s own address.' },
    ]);
  const code = newActivationCode();
  const expiresAt = new Date(now.getTime() + INVITE_DAYS * DAY).toISOString();
  const row = await withTransaction(store, async (trx) => {
    const current = await trx
      .selectFrom('caregiver_grant')
      .selectAll()
      .where('patient_id', '=', child.id)
      .where('invited_email', '=', email)
      .where('revoked_at', 'is', null)
      .where('left_at', 'is', null)
      .execute();
    if (current.some((r) => isOpen(grantState(r, child.birthDate ?? undefined, now, clinic))))
      throw new ApiError(
        409,
        'already_guardian',
        `${email} already has access for ${child.name} (or an activation waiting). End that first to set up a new one.`,
      );
    const row: GrantRow = {
      id: randomUUID(),
      patient_id: child.id,
      caregiver_account_id: null,
      invited_email: email,
      invited_name: name,
      kind: 'guardian',
      scopes: JSON.stringify(scopes),
      ends_at: null,
      invite_expires_at: expiresAt,
      created_by: by.actor,
      created_at: now.toISOString(),
      accepted_at: null,
      revoked_at: null,
      revoked_by: null,
      left_at: null,
      vault_key: null,
    };
    const attestation = { version: CURRENT_GUARDIAN_ATTESTATION.version, by: by.actor };
    await insertInvitation(trx, row, attestation, hashToken(normalizeActivationCode(code)), now);
    await auditGrant(
      trx,
      {
        actor: by.actor,
        grant: row,
        action: 'caregiver.guardian-added',
        ip: by.ip,
        detail: `${grantDetail(scopes, null, CURRENT_GUARDIAN_ATTESTATION.version)}; age=${age}`,
      },
      now,
    );
    return row;
  });
  return {
    row,
    child: { ...child, age, stage },
    code,
    link: `${config.publicOrigin}/caregiver-invite#token=${code}`,
    expiresAt,
  };
}

/** The mails of a new guardian: the activation to the guardian, a notice to the child if they have an account. */
export async function guardianMails(deps: Pick<AppDeps, 'config'>, db: Db, setUp: GuardianSetUp): Promise<Mail[]> {
  const parties = await partiesOf(db, setUp.row);
  return grantMails(deps, parties, {
    what: 'guardian-added',
    code: setUp.code,
    link: setUp.link,
    scopes: orderScopes(JSON.parse(setUp.row.scopes) as string[]),
    ageRules: ageRulesInWords(setUp.child.name.split(' ')[0] ?? setUp.child.name, deps.config.clinic),
    invitedEmail: setUp.row.invited_email!,
  });
}

/** Sends a new guardian's mails after the set-up committed, without holding the answer. */
export async function announceGuardian(
  deps: Pick<AppDeps, 'config' | 'mailer' | 'logger'>,
  db: Db,
  setUp: GuardianSetUp,
): Promise<void> {
  for (const mail of await guardianMails(deps, db, setUp)) sendInBackground(deps.mailer, deps.logger, mail);
}

/** The guardian grants of a patient, newest first (open and ended), for the care team. */
export function guardianRows(db: Db, patientId: string): Promise<GrantRow[]> {
  return db
    .selectFrom('caregiver_grant')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('kind', '=', 'guardian')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(100)
    .execute();
}

/**
 * Ends a guardian's access (or withdraws an activation not used yet), by the care team: 404 for an unknown grant
 * or one that is not a guardian's (a patient's own caregivers are theirs to end), 409 when it has already ended.
 * Audited in the same transaction; the caller mails both sides after it commits.
 */
export async function endGuardian(
  store: Store,
  grantId: string,
  by: { actor: string; ip: string | null },
  now: Date,
): Promise<GrantRow> {
  return withTransaction(store, async (trx) => {
    const found = await trx
      .selectFrom('caregiver_grant')
      .selectAll()
      .where('id', '=', grantId)
      .where('kind', '=', 'guardian')
      .executeTakeFirst();
    if (!found) throw new ApiError(404, 'not_found', 'There is no guardian access with that id.');
    const row = await endGrant(trx, found.id, by.actor, now, 'This guardian’s access has already ended.');
    await auditGrant(
      trx,
      {
        actor: by.actor,
        grant: row,
        action: 'caregiver.guardian-ended',
        ip: by.ip,
        detail: row.accepted_at ? 'access ended' : 'activation withdrawn',
      },
      now,
    );
    return row;
  });
}

/** The mails when the care team ends a guardian's access. */
export async function guardianEndedMails(deps: Pick<AppDeps, 'config'>, db: Db, row: GrantRow): Promise<Mail[]> {
  return grantMails(deps, await partiesOf(db, row), { what: 'guardian-ended', pending: !row.accepted_at });
}
