import type {
  AllergyIntolerance,
  CodeableConcept,
  Condition,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  Immunization,
  MedicationRequest,
  Observation,
  ObservationReferenceRange,
  Quantity,
} from 'fhir/r4';
import {
  ALLERGIES,
  CONDITIONS,
  MEDICINES,
  PANELS,
  SYSTEM,
  VACCINES,
  type AllergyName,
  type ConditionName,
  type LabTest,
  type MedicineName,
  type VaccineName,
} from './catalog.js';
import type { Random } from './random.js';

/** What every builder needs: the random source and whose record it is. */
export interface RecordContext {
  random: Random;
  patientId: string;
  organizationId: string;
}

const DAY = 86_400_000;

/** `asOf` minus whole days, at a given UTC hour and minute. */
export function daysBefore(asOf: Date, days: number, hour = 15, minute = 0): Date {
  const d = new Date(asOf.getTime() - days * DAY);
  d.setUTCHours(hour, minute, 0, 0);
  return d;
}

/** FHIR dateTime / instant without milliseconds: `2026-05-04T14:30:00Z`. */
export const dateTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
export const date = (d: Date) => d.toISOString().slice(0, 10);
const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

const ref = (type: string, id: string, display?: string) => ({
  reference: `${type}/${id}`,
  ...(display ? { display } : {}),
});
const concept = (system: string, code: string, display: string, text = display): CodeableConcept => ({
  coding: [{ system, code, display }],
  text,
});
const quantity = (value: number, unit: string, code: string): Quantity => ({ value, unit, system: SYSTEM.ucum, code });

/** What every Observation here has: status, category, LOINC code, patient, visit and time. */
function observation(
  ctx: RecordContext,
  category: 'laboratory' | 'vital-signs',
  code: string,
  display: string,
  when: Date,
  encounterId?: string,
): Observation {
  return {
    resourceType: 'Observation',
    id: ctx.random.uuid(),
    status: 'final',
    category: [concept(SYSTEM.obsCategory, category, category === 'laboratory' ? 'Laboratory' : 'Vital Signs')],
    code: concept(SYSTEM.loinc, code, display),
    subject: ref('Patient', ctx.patientId),
    ...(encounterId ? { encounter: ref('Encounter', encounterId) } : {}),
    effectiveDateTime: dateTime(when),
  };
}

export function labObservation(
  ctx: RecordContext,
  test: LabTest,
  value: number,
  when: Date,
  encounterId?: string,
): Observation {
  const range: ObservationReferenceRange = {
    ...(test.low !== undefined ? { low: quantity(test.low, test.unit, test.ucum) } : {}),
    ...(test.high !== undefined ? { high: quantity(test.high, test.unit, test.ucum) } : {}),
    text:
      test.low !== undefined && test.high !== undefined
        ? `${test.low}–${test.high} ${test.unit}`
        : test.low !== undefined
          ? `≥ ${test.low} ${test.unit}`
          : `≤ ${test.high} ${test.unit}`,
  };
  const flag =
    test.high !== undefined && value > test.high ? 'H' : test.low !== undefined && value < test.low ? 'L' : 'N';
  const flagName = { H: 'High', L: 'Low', N: 'Normal' }[flag];
  return {
    ...observation(ctx, 'laboratory', test.code, test.display, when, encounterId),
    issued: dateTime(plus(when, 240)),
    valueQuantity: quantity(value, test.unit, test.ucum),
    interpretation: [concept(SYSTEM.interpretation, flag, flagName)],
    referenceRange: [range],
  };
}

export function vitalObservation(
  ctx: RecordContext,
  code: string,
  display: string,
  value: number,
  unit: string,
  ucum: string,
  when: Date,
  encounterId: string,
): Observation {
  return {
    ...observation(ctx, 'vital-signs', code, display, when, encounterId),
    valueQuantity: quantity(value, unit, ucum),
  };
}

export function bloodPressure(
  ctx: RecordContext,
  systolic: number,
  diastolic: number,
  when: Date,
  encounterId: string,
): Observation {
  const high = systolic >= 130 || diastolic >= 80;
  return {
    ...observation(ctx, 'vital-signs', '85354-9', 'Blood pressure panel with all children optional', when, encounterId),
    interpretation: [concept(SYSTEM.interpretation, high ? 'H' : 'N', high ? 'High' : 'Normal')],
    component: [
      {
        code: concept(SYSTEM.loinc, '8480-6', 'Systolic blood pressure'),
        valueQuantity: quantity(systolic, 'mmHg', 'mm[Hg]'),
      },
      {
        code: concept(SYSTEM.loinc, '8462-4', 'Diastolic blood pressure'),
        valueQuantity: quantity(diastolic, 'mmHg', 'mm[Hg]'),
      },
    ],
  };
}

export function labReport(
  ctx: RecordContext,
  panel: keyof typeof PANELS,
  results: Observation[],
  when: Date,
  encounterId: string,
): DiagnosticReport {
  const p = PANELS[panel]!;
  return {
    resourceType: 'DiagnosticReport',
    id: ctx.random.uuid(),
    status: 'final',
    category: [concept(SYSTEM.v20074, 'LAB', 'Laboratory')],
    code: concept(SYSTEM.loinc, p.code, p.display),
    subject: ref('Patient', ctx.patientId),
    encounter: ref('Encounter', encounterId),
    effectiveDateTime: dateTime(when),
    issued: dateTime(plus(when, 300)),
    performer: [ref('Organization', ctx.organizationId)],
    result: results.map((o) => ref('Observation', o.id!, o.code.text)),
  };
}

export function visit(
  ctx: RecordContext,
  when: Date,
  practitioner: { id: string; name: string },
  reason: string,
  wellVisit: boolean,
): Encounter {
  return {
    resourceType: 'Encounter',
    id: ctx.random.uuid(),
    status: 'finished',
    class: { system: SYSTEM.actCode, code: 'AMB', display: 'ambulatory' },
    type: [
      wellVisit
        ? concept(SYSTEM.snomed, '410620009', 'Well child visit')
        : concept(SYSTEM.snomed, '185349003', 'Encounter for check up'),
    ],
    subject: ref('Patient', ctx.patientId),
    participant: [{ individual: ref('Practitioner', practitioner.id, practitioner.name) }],
    period: { start: dateTime(when), end: dateTime(plus(when, 30)) },
    reasonCode: [{ text: reason }],
    serviceProvider: ref('Organization', ctx.organizationId),
  };
}

export function visitNote(
  ctx: RecordContext,
  encounter: Encounter,
  author: { id: string; name: string },
  text: string,
): DocumentReference {
  const when = encounter.period!.end!;
  return {
    resourceType: 'DocumentReference',
    id: ctx.random.uuid(),
    status: 'current',
    docStatus: 'final',
    type: concept(SYSTEM.loinc, '11506-3', 'Progress note'),
    category: [concept(SYSTEM.documentCategory, 'clinical-note', 'Clinical Note')],
    subject: ref('Patient', ctx.patientId),
    date: when,
    author: [ref('Practitioner', author.id, author.name)],
    description: `Visit note: ${encounter.reasonCode![0]!.text}`,
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          data: Buffer.from(text, 'utf8').toString('base64'),
          title: 'Visit note',
          creation: when,
        },
      },
    ],
    context: { encounter: [ref('Encounter', encounter.id!)], period: encounter.period! },
  };
}

export interface MedicineOrder {
  name: MedicineName;
  status: 'active' | 'stopped' | 'completed';
  refills: number;
  reason?: ConditionName;
  stopReason?: string;
}

export function medicationRequest(
  ctx: RecordContext,
  order: MedicineOrder,
  when: Date,
  requester: { id: string; name: string },
  encounterId: string,
  reasonId?: string,
): MedicationRequest {
  const m = MEDICINES[order.name];
  return {
    resourceType: 'MedicationRequest',
    id: ctx.random.uuid(),
    status: order.status,
    ...(order.stopReason ? { statusReason: { text: order.stopReason } } : {}),
    intent: 'order',
    medicationCodeableConcept: concept(SYSTEM.rxnorm, m.code, m.display),
    subject: ref('Patient', ctx.patientId),
    encounter: ref('Encounter', encounterId),
    authoredOn: dateTime(when),
    requester: ref('Practitioner', requester.id, requester.name),
    ...(reasonId && order.reason
      ? { reasonReference: [ref('Condition', reasonId, CONDITIONS[order.reason].display)] }
      : {}),
    dosageInstruction: [{ sequence: 1, text: m.dosage, patientInstruction: m.dosage }],
    dispenseRequest: {
      numberOfRepeatsAllowed: order.refills,
      quantity: { value: m.quantity, unit: m.unit },
      expectedSupplyDuration: quantity(m.days, 'days', 'd'),
    },
  };
}

export function allergy(ctx: RecordContext, name: AllergyName, recorded: Date): AllergyIntolerance {
  const a = ALLERGIES[name];
  return {
    resourceType: 'AllergyIntolerance',
    id: ctx.random.uuid(),
    clinicalStatus: concept(SYSTEM.allergyClinical, 'active', 'Active'),
    verificationStatus: concept(SYSTEM.allergyVerification, 'confirmed', 'Confirmed'),
    type: 'allergy',
    category: [a.category],
    criticality: a.criticality,
    code: { coding: [a.code], text: a.code.display! },
    patient: ref('Patient', ctx.patientId),
    recordedDate: dateTime(recorded),
    reaction: [{ manifestation: [{ coding: [a.reaction], text: a.reaction.display! }], severity: a.severity }],
  };
}

export function condition(ctx: RecordContext, name: ConditionName, onset: Date, resolved?: Date): Condition {
  const c = CONDITIONS[name];
  return {
    resourceType: 'Condition',
    id: ctx.random.uuid(),
    clinicalStatus: resolved
      ? concept(SYSTEM.conditionClinical, 'resolved', 'Resolved')
      : concept(SYSTEM.conditionClinical, 'active', 'Active'),
    verificationStatus: concept(SYSTEM.conditionVerification, 'confirmed', 'Confirmed'),
    category: [concept(SYSTEM.conditionCategory, 'problem-list-item', 'Problem List Item')],
    code: { coding: [c], text: c.display! },
    subject: ref('Patient', ctx.patientId),
    onsetDateTime: dateTime(onset),
    ...(resolved ? { abatementDateTime: dateTime(resolved) } : {}),
    recordedDate: dateTime(onset),
  };
}

export function immunization(ctx: RecordContext, name: VaccineName, when: Date): Immunization {
  const v = VACCINES[name];
  return {
    resourceType: 'Immunization',
    id: ctx.random.uuid(),
    status: 'completed',
    vaccineCode: concept(SYSTEM.cvx, v.code, v.display),
    patient: ref('Patient', ctx.patientId),
    occurrenceDateTime: dateTime(when),
    primarySource: true,
    lotNumber: `L${ctx.random.int(100000, 999999)}`,
    performer: [{ actor: ref('Organization', ctx.organizationId) }],
  };
}
