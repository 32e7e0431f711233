import type { AnyResource } from './references.js';

// The sections of an International Patient Summary (HL7 IPS 2.0.0, Composition-uv-ips) this portal can fill from a
// patient's record: the three the IPS requires, always present, and the recommended ones when the record holds
// something for them. LOINC codes and displays as in the IPS examples (../shared/fhir/ips).

export interface IpsSection {
  key: 'medications' | 'allergies' | 'problems' | 'immunizations' | 'results' | 'procedures' | 'vitals';
  title: string;
  loinc: string;
  display: string;
  /** Required by the IPS: present even when empty, with an emptyReason. */
  required: boolean;
  /** Whether a resource of the record belongs in the section. */
  holds(r: AnyResource): boolean;
  /** The narrative table's columns and one row per entry. */
  columns: string[];
  row(r: AnyResource): string[];
  /** Said in the narrative of an empty required section. */
  none: string;
}

type Json = Record<string, any>;
const code = (cc: unknown): string | undefined => (cc as Json | undefined)?.coding?.[0]?.code;
const categories = (r: Json): string[] =>
  ((r.category ?? []) as Json[]).flatMap((c) => ((c.coding ?? []) as Json[]).map((x) => String(x.code)));
const notInError = (r: Json) =>
  r.status !== 'entered-in-error' &&
  code(r.verificationStatus) !== 'entered-in-error' &&
  code(r.verificationStatus) !== 'refuted';

/** A concept in words: its text, else its first display, else its code. */
export function conceptText(cc: unknown): string {
  const c = cc as Json | undefined;
  return (
    c?.text?.trim() ||
    (c?.coding as Json[] | undefined)?.find((x) => x.display)?.display?.trim() ||
    c?.coding?.[0]?.code ||
    ''
  );
}

/** A date as FHIR wrote it, to the day (2019-03-04): a clinic anywhere reads it the same. */
const day = (iso: unknown) => (typeof iso === 'string' ? iso.slice(0, 10) : '');

function quantity(q: Json | undefined): string {
  if (q?.value === undefined) return '';
  return `${q.comparator ?? ''}${q.value} ${q.unit ?? q.code ?? ''}`.trim();
}

/** An Observation's value in words, components joined (a blood pressure: 120 mm[Hg] / 80 mm[Hg]). */
export function valueText(o: Json): string {
  if (o.valueQuantity) return quantity(o.valueQuantity);
  if (o.valueCodeableConcept) return conceptText(o.valueCodeableConcept);
  for (const k of ['valueString', 'valueBoolean', 'valueInteger', 'valueDateTime', 'valueTime'])
    if (o[k] !== undefined) return String(o[k]);
  if (Array.isArray(o.component))
    return (o.component as Json[])
      .map((c) => `${conceptText(c.code)}: ${quantity(c.valueQuantity) || conceptText(c.valueCodeableConcept)}`)
      .join('; ');
  return '';
}

const observationIn = (category: string) => (r: AnyResource) =>
  r.resourceType === 'Observation' && categories(r).includes(category) && notInError(r);

export const IPS_SECTIONS: readonly IpsSection[] = [
  {
    key: 'medications',
    title: 'Medication Summary',
    loinc: '10160-0',
    display: 'History of Medication use Narrative',
    required: true,
    holds: (r) =>
      (r.resourceType === 'MedicationRequest' && ['active', 'on-hold'].includes(r.status as string)) ||
      (r.resourceType === 'MedicationStatement' && ['active', 'intended', 'on-hold'].includes(r.status as string)),
    columns: ['Medication', 'Status', 'Since', 'Dosage'],
    row: (r: Json) => [
      conceptText(r.medicationCodeableConcept) || String(r.medicationReference?.display ?? 'Medication'),
      String(r.status ?? ''),
      day(r.authoredOn ?? r.effectiveDateTime ?? r.effectivePeriod?.start),
      ((r.dosageInstruction ?? r.dosage ?? []) as Json[]).map((d) => d.text ?? '').join('; '),
    ],
    none: 'No current medications are recorded in this record.',
  },
  {
    key: 'allergies',
    title: 'Allergies and Intolerances',
    loinc: '48765-2',
    display: 'Allergies and adverse reactions Document',
    required: true,
    holds: (r) =>
      r.resourceType === 'AllergyIntolerance' &&
      !['inactive', 'resolved'].includes(code(r.clinicalStatus) ?? '') &&
      notInError(r),
    columns: ['Substance', 'Type', 'Criticality', 'Status', 'Reaction'],
    row: (r: Json) => [
      conceptText(r.code),
      [r.type, ...((r.category ?? []) as string[])].filter(Boolean).join(', '),
      String(r.criticality ?? ''),
      code(r.clinicalStatus) ?? '',
      ((r.reaction ?? []) as Json[]).flatMap((x) => ((x.manifestation ?? []) as Json[]).map(conceptText)).join(', '),
    ],
    none: 'No allergies or intolerances are recorded in this record.',
  },
  {
    key: 'problems',
    title: 'Problem List',
    loinc: '11450-4',
    display: 'Problem list - Reported',
    required: true,
    holds: (r) =>
      r.resourceType === 'Condition' &&
      ['active', 'recurrence', 'relapse'].includes(code(r.clinicalStatus) ?? 'active') &&
      notInError(r),
    columns: ['Problem', 'Since', 'Status'],
    row: (r: Json) => [conceptText(r.code), day(r.onsetDateTime ?? r.onsetPeriod?.start), code(r.clinicalStatus) ?? ''],
    none: 'No current health problems are recorded in this record.',
  },
  {
    key: 'immunizations',
    title: 'Immunizations',
    loinc: '11369-6',
    display: 'History of Immunization note',
    required: false,
    holds: (r) => r.resourceType === 'Immunization' && r.status !== 'entered-in-error',
    columns: ['Vaccine', 'Date', 'Status'],
    row: (r: Json) => [conceptText(r.vaccineCode), day(r.occurrenceDateTime ?? r.occurrenceString), String(r.status)],
    none: '',
  },
  {
    key: 'results',
    title: 'Results',
    loinc: '30954-2',
    display: 'Relevant diagnostic tests/laboratory data note',
    required: false,
    holds: (r) =>
      observationIn('laboratory')(r) ||
      // A lab report (category LAB, or one that groups results); Synthea's clinical notes are DiagnosticReports too.
      (r.resourceType === 'DiagnosticReport' &&
        r.status !== 'entered-in-error' &&
        (categories(r).includes('LAB') || ((r.result as unknown[] | undefined)?.length ?? 0) > 0)),
    columns: ['Result', 'Value', 'Date', 'Status'],
    row: (r: Json) => [
      conceptText(r.code),
      r.resourceType === 'DiagnosticReport' ? `Report, ${(r.result ?? []).length} results` : valueText(r),
      day(r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.issued),
      String(r.status ?? ''),
    ],
    none: '',
  },
  {
    key: 'procedures',
    title: 'History of Procedures',
    loinc: '47519-4',
    display: 'History of Procedures Document',
    required: false,
    holds: (r) => r.resourceType === 'Procedure' && !['entered-in-error', 'not-done'].includes(r.status as string),
    columns: ['Procedure', 'Date', 'Status'],
    row: (r: Json) => [
      conceptText(r.code),
      day(r.performedDateTime ?? r.performedPeriod?.start ?? r.performedString),
      String(r.status ?? ''),
    ],
    none: '',
  },
  {
    key: 'vitals',
    title: 'Vital Signs',
    loinc: '8716-3',
    display: 'Vital signs note',
    required: false,
    holds: observationIn('vital-signs'),
    columns: ['Vital sign', 'Value', 'Date', 'Status'],
    row: (r: Json) => [
      conceptText(r.code),
      valueText(r),
      day(r.effectiveDateTime ?? r.effectivePeriod?.start),
      String(r.status ?? ''),
    ],
    none: '',
  },
];
