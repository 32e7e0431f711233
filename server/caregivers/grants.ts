import { newToken } from '../auth/tokens.js';
import type { Selectable } from 'kysely';
import type { Patient } from 'fhir/r4';
import type { ClinicInfo } from '../../common/clinic.js';
import type { CaregiverConsentTable, CaregiverGrantTable } from '../store/schema.js';
import type { Account, Db } from '../auth/sessions.js';
import { ageRulesOf, grantOf, grantStanding, parseScopes } from '../auth/record-access.js';
import { CURRENT_CAREGIVER_CONSENT, orderScopes, type CareScope } from '../../common/caregiver-consent.js';
import { addDays, zonedDate, zonedTimeToUtc } from '../appointments/clinic-time.js';
import { patientDisplayName } from '../fhir/patient-name.js';
import { getResource } from '../store/resource-reads.js';
import { ApiError } from '../errors.js';
import { appendAudit } from '../audit/log.js';
import type { AuditAction } from '../../common/audit-actions.js';

// The caregiver grants as the Sharing API reads and writes them ([3/11]). Decisions about a request are not made
// here but in server/auth/record-access.ts, from the same rows.

export type GrantRow = Selectable<CaregiverGrantTable>;
export type ConsentRow = Selectable<CaregiverConsentTable>;

/** How long an invitation's link works. */
export const INVITE_DAYS = 7;
/** How many caregivers (invited or active) one patient may have at once. */
export const MAX_LIVE_GRANTS = 20;

/** A grant for people: what the Sharing page and the mails say about it. */
export type GrantState =
  'invited' | 'invitation-expired' | 'active' | 'expired' | 'ended-by-age' | 'revoked' | 'left' | 'not-accepted';

/** The instant access ends when the last day is `date` (YYYY-MM-DD) in the clinic's zone: the next midnight there. */
export function endOfDay(date: string, timeZone: string): string {
  return zonedTimeToUtc(addDays(date, 1), '00:00', timeZone).toISOString();
}

/** The last day of access (YYYY-MM-DD, clinic's calendar) for an end instant made by `endOfDay`. */
export function lastDayOf(endsAt: string | null, timeZone: string): string | null {
  return endsAt ? zonedDate(new Date(Date.parse(endsAt) - 1), timeZone) : null;
}

/**
 * Refuses a consent given to another text than the current one (an old page, or the text changed while it was
 * open): 409, and the patient is shown the new text.
 */
export function requireCurrentConsent(version: string): void {
  const current = CURRENT_CAREGIVER_CONSENT;
  if (version !== current.version)
    throw new ApiError(
      409,
      'consent_outdated',
      `The consent text has changed since you read it (it is now version ${current.version} of ${current.issued}). Please read the new text and accept it again.`,
    );
}

/** The end instant for a last day the patient chose: today (the clinic's) or later, within ten years. */
export function endFromDate(endsOn: string, now: Date, timeZone: string): string {
  const today = zonedDate(now, timeZone);
  const problem =
    endsOn < today
      ? 'End date: choose today or a later day.'
      : endsOn > addDays(today, 3653)
        ? 'End date: choose a day within ten years, or no end date.'
        : undefined;
  if (problem) throw new ApiError(400, 'invalid_end_date', problem, [{ path: 'endsOn', message: problem }]);
  return endOfDay(endsOn, timeZone);
}

export function grantState(
  row: GrantRow,
  birthDate: string | undefined,
  now: Date,
  clinic: Pick<ClinicInfo, 'timeZone' | 'minors'>,
): GrantState {
  if (row.revoked_at) return 'revoked';
  if (row.left_at) return 'left';
  if (!row.accepted_at) {
    if (row.caregiver_account_id) return 'not-accepted';
    return row.invite_expires_at && Date.parse(row.invite_expires_at) > now.getTime()
      ? 'invited'
      : 'invitation-expired';
  }
  const standing = grantStanding(grantOf(row), birthDate, now, ageRulesOf(clinic));
  if (standing.live) return 'active';
  return standing.reason === 'age' ? 'ended-by-age' : standing.reason === 'expired' ? 'expired' : 'revoked';
}

/** Whether the grant may still be used or changed: an invitation waiting for an answer, or live access. */
export function isOpen(state: GrantState): boolean {
  return state === 'invited' || state === 'active' || state === 'not-accepted';
}

export function scopesOf(row: Pick<GrantRow, 'scopes'>): CareScope[] {
  return parseScopes(row.scopes);
}

/** The latest consent of each grant. */
export async function latestConsents(db: Db, grantIds: string[]): Promise<Map<string, ConsentRow>> {
  const out = new Map<string, ConsentRow>();
  if (grantIds.length === 0) return out;
  const rows = await db
    .selectFrom('caregiver_consent')
    .selectAll()
    .where('grant_id', 'in', grantIds)
    .orderBy('seq')
    .execute();
  for (const r of rows) out.set(r.grant_id, r);
  return out;
}

/**
 * Records a consent for a grant as its next one. Callers write the grant row first in the same transaction (which
 * locks it on PostgreSQL), so two consents for one grant cannot take the same number.
 */
export async function insertConsent(
  db: Db,
  grantId: string,
  version: string,
  scopes: readonly CareScope[],
  acceptedBy: string,
  now: Date,
): Promise<void> {
  const { last } = await db
    .selectFrom('caregiver_consent')
    .select((eb) => eb.fn.max('seq').as('last'))
    .where('grant_id', '=', grantId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('caregiver_consent')
    .values({
      grant_id: grantId,
      seq: Number(last ?? 0) + 1,
      text_version: version,
      scopes: JSON.stringify(orderScopes(scopes)),
      accepted_at: now.toISOString(),
      accepted_by: acceptedBy,
    })
    .execute();
}

/**
 * Writes a new invitation in the caller's transaction: the grant row, its first consent (or a guardian's
 * attestation) and the single-use token that accepts it, stored as `tokenHash` only, valid until the row's
 * `invite_expires_at`. Used for a patient's invitation and a guardian set up by the care team alike.
 */
export async function insertInvitation(
  db: Db,
  row: GrantRow,
  consent: { version: string; by: string },
  tokenHash: string,
  now: Date,
): Promise<void> {
  await db.insertInto('caregiver_grant').values(row).execute();
  await insertConsent(db, row.id, consent.version, scopesOf(row), consent.by, now);
  await db
    .insertInto('one_time_token')
    .values({
      hash: tokenHash,
      purpose: 'caregiver-invite',
      account_id: null,
      patient_id: row.patient_id,
      created_at: now.toISOString(),
      expires_at: row.invite_expires_at!,
      used_at: null,
      payload: JSON.stringify({ grantId: row.id }),
    })
    .execute();
}

/** The patient's name for people (their record's, else their account's), for mail and lists. */
export async function patientName(db: Db, patientId: string): Promise<string> {
  const patient = (await getResource(db, 'Patient', patientId))?.resource as Patient | undefined;
  const holder = await patientAccount(db, patientId);
  return patientDisplayName(patient, holder?.display_name ?? 'A patient of the clinic');
}

/** The portal account of a patient's own record, if they have one (a young child may not). */
export function patientAccount(db: Db, patientId: string): Promise<Account | undefined> {
  return db
    .selectFrom('account')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('kind', '=', 'patient')
    .executeTakeFirst();
}

/**
 * The grant `id` of the patient's own record that they may still change, for their Sharing API: another patient's
 * or a missing one is 404; a guardian's is the care team's to change (403); one that has ended, 409.
 */
export async function patientGrant(
  db: Db,
  patientId: string,
  id: string,
  now: Date,
  clinic: Pick<ClinicInfo, 'timeZone' | 'minors' | 'support'>,
): Promise<GrantRow> {
  const row = await db
    .selectFrom('caregiver_grant')
    .selectAll()
    .where('id', '=', id)
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  if (!row) throw new ApiError(404, 'not_found', 'There is no such caregiver on your account.');
  if (row.kind === 'guardian')
    throw new ApiError(
      403,
      'set_by_care_team',
      `A guardian’s access is set up by the care team. To change it, call us on ${clinic.support.phone}.`,
    );
  if (!isOpen(grantState(row, undefined, now, clinic)))
    throw new ApiError(409, 'grant_ended', 'This access has already ended. To share again, send a new invitation.');
  return row;
}

/** What an audit entry keeps of a grant: what may be done and until when, nothing from the record. */
export function grantDetail(scopes: readonly CareScope[], endsAt: string | null, consent?: string): string {
  return `scopes=${scopes.join(',')}; ends=${endsAt ?? 'never'}${consent ? `; consent=${consent}` : ''}`;
}

/** Audits a change of a grant in the caller's transaction: who did it, for whose record, which grant. */
export function auditGrant(
  db: Db,
  event: {
    actor: string;
    grant: Pick<GrantRow, 'id' | 'patient_id'>;
    action: AuditAction;
    ip: string | null;
    detail?: string;
  },
  now: Date,
): Promise<number> {
  return appendAudit(
    db,
    {
      actor: event.actor,
      onBehalfOf: event.grant.patient_id,
      action: event.action,
      target: `grant:${event.grant.id}`,
      outcome: 'success',
      ip: event.ip,
      detail: event.detail ?? null,
    },
    now,
  );
}

/**
 * The key of a caregiver's local copy of the person of `grantId` ([3/11]): 256 random bits kept with the grant, made
 * at first use (two sessions racing keep whichever was written first). The route hands it out only while the grant
 * is live, so a copy left on a device after the access ended cannot be opened: the account holds nothing it could
 * be derived from.
 */
export async function grantVaultKey(db: Db, grantId: string): Promise<string> {
  await db
    .updateTable('caregiver_grant')
    .set({ vault_key: newToken(32) })
    .where('id', '=', grantId)
    .where('vault_key', 'is', null)
    .execute();
  const row = await db
    .selectFrom('caregiver_grant')
    .select('vault_key')
    .where('id', '=', grantId)
    .executeTakeFirstOrThrow();
  return row.vault_key!;
}

/**
 * Ends a grant (`revoked_at`, by whom) and reads it back, in the caller's transaction. The state is checked again in
 * the update itself: an acceptance racing the ending either lands first (and is ended with it) or finds the grant
 * ended. One already ended or left answers 409 with `alreadyEnded`.
 */
export async function endGrant(
  trx: Db,
  grantId: string,
  by: string,
  now: Date,
  alreadyEnded: string,
): Promise<GrantRow> {
  const done = await trx
    .updateTable('caregiver_grant')
    .set({ revoked_at: now.toISOString(), revoked_by: by })
    .where('id', '=', grantId)
    .where('revoked_at', 'is', null)
    .where('left_at', 'is', null)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw new ApiError(409, 'grant_ended', alreadyEnded);
  return trx.selectFrom('caregiver_grant').selectAll().where('id', '=', grantId).executeTakeFirstOrThrow();
}
