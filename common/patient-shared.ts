import type { Identifier, Patient } from 'fhir/r4';
import type { CareScope } from './caregiver-consent.js';

/** A medical record number: an identifier typed `MR` (HL7 v2 table 0203), as the clinic and Synthea mark it. */
export const isMrn = (identifier: Identifier): boolean =>
  identifier.type?.coding?.some((c) => c.code === 'MR') ?? false;

/**
 * The Patient resource as a caregiver or guardian receives it ([3/11]): the name and birth date (whom the pages are
 * about, and the guardian's age rules), and, for one allowed to read the record, the sex and the medical record
 * number (a printed record names it). Never the patient's contact details, address, contacts, family doctor or
 * other identifiers: the consent text says a caregiver cannot see them.
 */
export function patientAsShared(patient: Patient, scopes: readonly CareScope[]): Patient {
  const records = scopes.includes('records');
  const mrns = (patient.identifier ?? []).filter(isMrn);
  return {
    resourceType: 'Patient',
    ...(patient.id ? { id: patient.id } : {}),
    ...(patient.meta ? { meta: patient.meta } : {}),
    ...(patient.name ? { name: patient.name } : {}),
    ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
    ...(records && patient.gender ? { gender: patient.gender } : {}),
    ...(records && mrns.length ? { identifier: mrns } : {}),
  };
}
