import type { Patient, Encounter } from 'fhir/r4';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { findByIdentifier, getResource } from '../store/resource-reads.js';
import { hashToken } from './tokens.js';
import { normalizeActivationCode } from './activation-code.js';
import { isMrn } from '../../common/patient-shared.js';

/**
 * Matching a person to a patient record before an account is made for it (issue 3/8, "prove who they are").
 * Both ways need something only the patient (or the clinic) should have, together with the date of birth.
 */

/** Letters only, without accents or case: "Gibson", "GIBSON " and "Gíbson" compare equal. */
export function comparableName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}]/gu, '');
}

/** The date (YYYY-MM-DD, as recorded) of the patient's most recent visit, or undefined. */
export async function lastVisitDate(db: Kysely<Database>, patientId: string): Promise<string | undefined> {
  const rows = await db
    .selectFrom('fhir_compartment as m')
    .innerJoin('fhir_resource as r', (j) =>
      j.onRef('r.resource_type', '=', 'm.resource_type').onRef('r.id', '=', 'm.id'),
    )
    .select('r.content')
    .where('m.patient_id', '=', patientId)
    .where('m.resource_type', '=', 'Encounter')
    .execute();
  let latest: string | undefined;
  for (const row of rows) {
    const start = (JSON.parse(row.content) as Encounter).period?.start;
    if (start && (!latest || start > latest)) latest = start;
  }
  return latest?.slice(0, 10);
}

export interface RecordFacts {
  mrn: string;
  birthDate: string;
  lastName: string;
  lastVisitDate: string;
}

/** The patient id whose medical record number, birth date, family name and latest visit all match, or undefined. */
export async function matchRecord(db: Kysely<Database>, facts: RecordFacts): Promise<string | undefined> {
  const mrn = facts.mrn.trim();
  for (const id of await findByIdentifier(db, 'Patient', { value: mrn })) {
    const patient = (await getResource(db, 'Patient', id))?.resource as Patient | undefined;
    if (!patient || patient.birthDate !== facts.birthDate) continue;
    if (!patient.identifier?.some((i) => i.value === mrn && isMrn(i))) continue;
    const family = comparableName(facts.lastName);
    if (!family || !patient.name?.some((n) => n.family && comparableName(n.family) === family)) continue;
    if ((await lastVisitDate(db, id)) !== facts.lastVisitDate) continue;
    return id;
  }
  return undefined;
}

/** The activation token row for a typed code whose patient has this birth date, if it is unused and unexpired. */
export async function matchActivationCode(
  db: Kysely<Database>,
  typedCode: string,
  birthDate: string,
  now: Date,
): Promise<{ patientId: string; tokenHash: string } | undefined> {
  const tokenHash = hashToken(normalizeActivationCode(typedCode));
  const row = await db
    .selectFrom('one_time_token')
    .select(['patient_id', 'expires_at', 'used_at'])
    .where('hash', '=', tokenHash)
    .where('purpose', '=', 'activation')
    .executeTakeFirst();
  if (!row?.patient_id || row.used_at || new Date(row.expires_at) <= now) return undefined;
  const patient = (await getResource(db, 'Patient', row.patient_id))?.resource as Patient | undefined;
  if (patient?.birthDate !== birthDate) return undefined;
  return { patientId: row.patient_id, tokenHash };
}
