import type { MedicationRequest, Patient } from 'fhir/r4';
import type { Vault } from './vault.js';
import { isActiveMedication } from './fhir-display.js';

/** The parts of the record, as the overview lists them and search offers them. */
export const SECTIONS = [
  { path: '/records/results', title: 'Test results', type: 'Observation' },
  { path: '/records/medications', title: 'Medications', type: 'MedicationRequest' },
  { path: '/records/visits', title: 'Visits', type: 'Encounter' },
  { path: '/records/allergies', title: 'Allergies', type: 'AllergyIntolerance' },
  { path: '/records/immunizations', title: 'Immunizations', type: 'Immunization' },
  { path: '/records/conditions', title: 'Health problems', type: 'Condition' },
  { path: '/records/procedures', title: 'Procedures', type: 'Procedure' },
  { path: '/records/documents', title: 'Documents', type: 'DocumentReference' },
] as const;

export interface Summary {
  counts: Record<string, number>;
  newResults: number;
  activeMedications: number;
  patient: Patient | undefined;
}

/** What the home dashboard and the record overview show: counts, new results, active medications. */
export async function summarize(vault: Vault, patientId: string): Promise<Summary> {
  // All at once: the reads queue on one connection, and decrypting overlaps with reading (the dashboard waits for this).
  const counts: Record<string, number> = {};
  const [newResults, meds, patients] = await Promise.all([
    vault.db.resources
      .where('[patientId+type+date]')
      .between([patientId, 'Observation', ''], [patientId, 'Observation', '\uffff'])
      .primaryKeys()
      .then((keys) =>
        vault.unseen(
          patientId,
          'Observation',
          keys.map((k) => k[2]),
        ),
      )
      .then((unseen) => unseen.size),
    vault.list<MedicationRequest>(patientId, 'MedicationRequest'),
    vault.list<Patient>(patientId, 'Patient'),
    ...SECTIONS.map(async (s) => (counts[s.type] = await vault.count(patientId, s.type))),
  ]);
  return { counts, newResults, activeMedications: meds.filter(isActiveMedication).length, patient: patients[0] };
}
