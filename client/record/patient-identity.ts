import type { HumanName, Patient } from 'fhir/r4';
import { isMrn } from '../../common/patient-shared.js';

/** Who a record is about, as a printed page says it: name, date of birth (YYYY-MM-DD as recorded) and MRN. */
export interface PatientIdentity {
  name: string;
  birthDate: string | undefined;
  mrn: string | undefined;
}

/** The name in use: the official one, else the usual one, else the first; its text when the record gives one. */
export function patientName(patient: Patient | undefined): string | undefined {
  const names = patient?.name ?? [];
  const name: HumanName | undefined =
    names.find((n) => n.use === 'official' && !n.period?.end) ??
    names.find((n) => n.use === 'usual') ??
    names.find((n) => n.use !== 'old' && n.use !== 'maiden') ??
    names[0];
  if (!name) return undefined;
  const text = name.text?.trim() || [...(name.given ?? []), name.family].filter(Boolean).join(' ');
  return text || undefined;
}

/**
 * A medical record number: an identifier whose type is HL7 v2 table 0203 "MR" (what the server's identity proofing
 * and the demo clinic use), the `usual` one first.
 */
export function medicalRecordNumber(patient: Patient | undefined): string | undefined {
  const ids = (patient?.identifier ?? []).filter((i) => isMrn(i) && i.value && i.use !== 'old');
  return (ids.find((i) => i.use === 'usual') ?? ids[0])?.value;
}

/** What a printout names: undefined when the record holds no Patient (then the person's name is used). */
export function patientIdentity(patient: Patient | undefined): PatientIdentity | undefined {
  const name = patientName(patient);
  if (!patient || !name) return undefined;
  return { name, birthDate: patient.birthDate, mrn: medicalRecordNumber(patient) };
}
