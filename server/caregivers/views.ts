import type { ClinicInfo } from '../../common/clinic.js';
import type { Db } from '../auth/sessions.js';
import { ageRulesOf, grantOf, grantStanding, patientBirthDate } from '../auth/record-access.js';
import { CURRENT_CAREGIVER_CONSENT, CURRENT_GUARDIAN_ATTESTATION } from '../../common/caregiver-consent.js';
import {
  grantState,
  isOpen,
  lastDayOf,
  latestConsents,
  patientName,
  scopesOf,
  type ConsentRow,
  type GrantRow,
} from './grants.js';

// What each side is shown of the grants ([3/11]): the patient's Sharing list, the caregiver's people.

/** What the patient's Sharing page shows of each grant, newest first. */
export async function sharingList(
  db: Db,
  patientId: string,
  now: Date,
  clinic: Pick<ClinicInfo, 'timeZone' | 'minors'>,
) {
  const rows = await db
    .selectFrom('caregiver_grant')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(200)
    .execute();
  const birthDate = rows.some((r) => r.kind === 'guardian') ? await patientBirthDate(db, patientId) : undefined;
  const consents = await latestConsents(
    db,
    rows.map((r) => r.id),
  );
  const holderIds = [...new Set(rows.map((r) => r.caregiver_account_id).filter((id): id is string => !!id))];
  const holders = holderIds.length
    ? await db.selectFrom('account').select(['id', 'display_name', 'email']).where('id', 'in', holderIds).execute()
    : [];
  return rows.map((row) => sharingEntry(row, consents.get(row.id), holders, birthDate, now, clinic));
}

export function sharingEntry(
  row: GrantRow,
  consent: ConsentRow | undefined,
  holders: { id: string; display_name: string; email: string }[],
  birthDate: string | undefined,
  now: Date,
  clinic: Pick<ClinicInfo, 'timeZone' | 'minors'>,
) {
  const state = grantState(row, birthDate, now, clinic);
  const holder = holders.find((h) => h.id === row.caregiver_account_id);
  const standing = grantStanding(grantOf(row), birthDate, now, ageRulesOf(clinic));
  return {
    id: row.id,
    kind: row.kind,
    name: row.invited_name,
    email: row.invited_email,
    /** Who accepted (any account may, so the patient is shown which one). */
    acceptedBy: holder ? { name: holder.display_name, email: holder.email } : null,
    state,
    scopes: scopesOf(row),
    /** What they may do today: a guardian's scopes narrow with the child's age. */
    allowedNow: standing.live ? standing.scopes : [],
    endsOn: lastDayOf(row.ends_at, clinic.timeZone),
    endsAt: row.ends_at,
    invitedAt: row.created_at,
    inviteExpiresAt: row.accepted_at ? null : row.invite_expires_at,
    acceptedAt: row.accepted_at,
    revokedAt: row.revoked_at,
    leftAt: row.left_at,
    /** Guardians are set up by the care team and changed through them. */
    changeable: row.kind === 'caregiver' && isOpen(state),
    consent: consent
      ? {
          version: consent.text_version,
          acceptedAt: consent.accepted_at,
          scopes: scopesOf(consent),
          // A guardian's grant holds attestations of the guardian text, not the patient's consent text.
          current:
            consent.text_version ===
            (row.kind === 'guardian' ? CURRENT_GUARDIAN_ATTESTATION : CURRENT_CAREGIVER_CONSENT).version,
        }
      : null,
  };
}

export type SharingEntry = ReturnType<typeof sharingEntry>;

/** One grant of a patient with its view, for an answer after a change. */
export async function sharingEntryOf(
  db: Db,
  row: GrantRow,
  now: Date,
  clinic: Pick<ClinicInfo, 'timeZone' | 'minors'>,
): Promise<SharingEntry> {
  const birthDate = row.kind === 'guardian' ? await patientBirthDate(db, row.patient_id) : undefined;
  const consent = (await latestConsents(db, [row.id])).get(row.id);
  const holders = row.caregiver_account_id
    ? await db
        .selectFrom('account')
        .select(['id', 'display_name', 'email'])
        .where('id', '=', row.caregiver_account_id)
        .execute()
    : [];
  return sharingEntry(row, consent, holders, birthDate, now, clinic);
}

/** The people an account may act for now, with what it may do for each (a caregiver's switcher). */
export async function peopleFor(db: Db, accountId: string, now: Date, clinic: Pick<ClinicInfo, 'timeZone' | 'minors'>) {
  const rows = await db
    .selectFrom('caregiver_grant')
    .selectAll()
    .where('caregiver_account_id', '=', accountId)
    .where('accepted_at', 'is not', null)
    .where('revoked_at', 'is', null)
    .where('left_at', 'is', null)
    .orderBy('accepted_at')
    .execute();
  const people = [];
  for (const row of rows) {
    const birthDate = row.kind === 'guardian' ? await patientBirthDate(db, row.patient_id) : undefined;
    const standing = grantStanding(grantOf(row), birthDate, now, ageRulesOf(clinic));
    if (!standing.live) continue;
    people.push({
      grantId: row.id,
      patientId: row.patient_id,
      name: await patientName(db, row.patient_id),
      kind: row.kind,
      scopes: standing.scopes,
      narrowedByAge: standing.narrowedByAge,
      endsOn: lastDayOf(row.ends_at, clinic.timeZone),
      endsAt: row.ends_at,
      since: row.accepted_at!,
    });
  }
  return people;
}
