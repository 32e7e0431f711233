import type { Patient, Practitioner } from 'fhir/r4';

/**
 * A patient's name for people to read: the official name (else the first), given names then family name, with
 * the digits Synthea appends to synthetic names removed. `firstGivenOnly` for an account's display name.
 */
export function patientDisplayName(
  patient: Patient | undefined,
  fallback: string,
  options: { firstGivenOnly?: boolean } = {},
): string {
  const name = patient?.name?.find((n) => n.use === 'official') ?? patient?.name?.[0];
  const given = options.firstGivenOnly ? name?.given?.[0] : name?.given?.join(' ');
  return [given, name?.family].filter(Boolean).join(' ').replace(/\d+/g, '') || fallback;
}

/** A clinician's name for people to read: prefix, given names and family name ("Dr. Jonah Schroeder"). */
export function practitionerDisplayName(practitioner: Practitioner | undefined, fallback: string): string {
  const name = practitioner?.name?.find((n) => n.use === 'official') ?? practitioner?.name?.[0];
  return (
    [name?.prefix?.join(' '), name?.given?.join(' '), name?.family].filter(Boolean).join(' ').replace(/\d+/g, '') ||
    fallback
  );
}
