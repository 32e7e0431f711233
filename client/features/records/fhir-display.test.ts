import { expect } from '@open-wc/testing';
import type { DiagnosticReport, DocumentReference, MedicationRequest, Observation } from 'fhir/r4';
import { dosageText, flagOf, observationValue, rangeText, refillsText } from '../../record/fhir-display.js';
import { groupResults } from './results-page.js';
import { notesByEncounter, noteText } from './visits-page.js';
import { documentFile } from './documents-page.js';
import { axisValues, points, rangeWords, valueSpan } from './test-history-page.js';
import { search } from './search-page.js';

// Shapes as Synthea and US Core write them (../shared/fhir).
const glucose = (id: string, value: number, date: string, extra: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2339-0', display: 'Glucose' }], text: 'Glucose' },
  effectiveDateTime: date,
  valueQuantity: { value, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
  ...extra,
});

describe('FHIR in words', () => {
  it('shows values with units, blood pressure as one reading, and ranges', () => {
    expect(observationValue(glucose('g', 95.123, '2024-01-01'))).to.equal('95.1 mg/dL');
    const bp: Observation = {
      resourceType: 'Observation',
      id: 'bp',
      status: 'final',
      code: { text: 'Blood pressure panel' },
      component: [
        { code: { text: 'Systolic' }, valueQuantity: { value: 128, unit: 'mm[Hg]' } },
        { code: { text: 'Diastolic' }, valueQuantity: { value: 82, unit: 'mm[Hg]' } },
      ],
    };
    expect(observationValue(bp)).to.equal('128/82 mmHg');
    const ranged = glucose('r', 130, '2024-01-01', {
      referenceRange: [{ low: { value: 70, unit: 'mg/dL' }, high: { value: 99, unit: 'mg/dL' } }],
    });
    expect(rangeText(ranged)).to.equal('70–99 mg/dL');
  });

  it('flags in words, from the interpretation or the range', () => {
    expect(
      flagOf(glucose('r', 130, '2024-01-01', { referenceRange: [{ low: { value: 70 }, high: { value: 99 } }] })),
    ).to.deep.equal({ level: 'high', label: 'High' });
    expect(
      flagOf(glucose('r', 50, '2024-01-01', { referenceRange: [{ low: { value: 70 }, high: { value: 99 } }] }))?.label,
    ).to.equal('Low');
    expect(flagOf(glucose('r', 500, '2024-01-01', { interpretation: [{ coding: [{ code: 'HH' }] }] }))?.label).to.equal(
      'Critically high',
    );
    expect(flagOf(glucose('r', 90, '2024-01-01'))).to.equal(undefined);
  });

  it('says dosage in plain words and counts refills', () => {
    const m: MedicationRequest = {
      resourceType: 'MedicationRequest',
      id: 'm',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p' },
      medicationCodeableConcept: { text: 'lisinopril 10 MG Oral Tablet' },
      dosageInstruction: [
        {
          timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
          doseAndRate: [{ doseQuantity: { value: 1 } }],
          asNeededBoolean: false,
        },
      ],
      dispenseRequest: { numberOfRepeatsAllowed: 3 },
    };
    expect(dosageText(m.dosageInstruction![0])).to.equal('Take 1 twice a day');
    expect(dosageText({ text: 'One tablet at bedtime' })).to.equal('One tablet at bedtime');
    expect(dosageText({ asNeededBoolean: true })).to.equal('when needed');
    expect(refillsText(m)).to.equal('3 refills allowed');
  });

  it('groups results by report, newest first, with the rest by day', () => {
    const obs = [
      glucose('a', 90, '2024-01-01T08:00:00Z'),
      glucose('b', 99, '2025-06-01T08:00:00Z'),
      glucose('c', 101, '2025-06-01T09:00:00Z'),
    ];
    const report: DiagnosticReport = {
      resourceType: 'DiagnosticReport',
      id: 'r',
      status: 'final',
      code: { text: 'Metabolic panel' },
      effectiveDateTime: '2024-01-01T08:00:00Z',
      result: [{ reference: 'urn:uuid:a' }, { reference: 'Observation/a' }],
    };
    const groups = groupResults([report], obs);
    expect(groups.map((g) => g.title)).to.deep.equal(['Measurements', 'Metabolic panel']);
    expect(groups[0]!.results.map((o) => o.id)).to.deep.equal(['b', 'c']);
    expect(points(obs).map((p) => p.value)).to.deep.equal([90, 99, 101]);
  });

  it("spans the trend chart over the results and the normal range, and writes the band's words", () => {
    const lab = { high: 99, unit: 'mg/dL', source: 'lab', text: 'up to 99 mg/dL' } as const;
    // An upper limit only: the band runs from 0, so the chart starts there.
    expect(valueSpan([108, 172], lab)).to.deep.equal([0, 172]);
    expect(valueSpan([52, 58], { low: 40, unit: 'mg/dL', source: 'clinic', text: '40 mg/dL or more' })).to.deep.equal([
      40, 58,
    ]);
    expect(valueSpan([90, 90], undefined)).to.deep.equal([89, 91]);
    expect(rangeWords(lab)).to.equal("Normal range: up to 99 mg/dL (the lab's range)");
    expect(rangeWords({ ...lab, source: 'clinic' })).to.equal(
      "Normal range: up to 99 mg/dL (the clinic's usual range for adults; the lab sent none)",
    );
    const y = (v: number) => 200 - v; // one pixel a unit
    expect(axisValues(0, 172, lab, y)).to.deep.equal([172, 0, 99]);
    expect(axisValues(90, 100, lab, y)).to.deep.equal([100, 90], 'an edge beside an end is not written twice');
  });

  it('searches by words, kind and dates', () => {
    const obs = [glucose('a', 90, '2024-01-01T08:00:00Z'), glucose('b', 99, '2025-06-01T08:00:00Z')];
    const med = {
      resourceType: 'MedicationRequest',
      id: 'm',
      status: 'active',
      authoredOn: '2025-02-01',
      medicationCodeableConcept: { text: 'Metformin 500 MG' },
    };
    const all = [...obs, med];
    expect(search(all, { text: 'glu', type: '', from: '', to: '' }).map((h) => h.date)).to.deep.equal([
      '2025-06-01T08:00:00Z',
      '2024-01-01T08:00:00Z',
    ]);
    expect(search(all, { text: 'metformin', type: '', from: '', to: '' })[0]!.href).to.equal('/records/medications');
    expect(search(all, { text: '', type: 'Observation', from: '2025-01-01', to: '' }).length).to.equal(1);
    expect(search(all, { text: 'glucose metformin', type: '', from: '', to: '' }).length).to.equal(0);
    expect(search(all, { text: 'GLUCOSE', type: 'MedicationRequest', from: '', to: '' }).length).to.equal(0);
    // A test is shown under its plain name and found by it or by the lab's name.
    const ldl: Observation = {
      ...glucose('l', 104, '2025-03-01T08:00:00Z'),
      code: {
        coding: [
          {
            system: 'http://loinc.org',
            code: '18262-6',
            display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay',
          },
        ],
        text: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay',
      },
    };
    expect(search([ldl], { text: 'bad cholesterol', type: '', from: '', to: '' })[0]!.title).to.equal(
      'LDL cholesterol ("bad" cholesterol)',
    );
    expect(search([ldl], { text: 'direct assay', type: '', from: '', to: '' }).length).to.equal(1);
  });

  it('decodes notes as text: markup stays text, never HTML', () => {
    const html = '<script>alert(1)</script><b>Assessment</b>: stable.';
    const note: DocumentReference = {
      resourceType: 'DocumentReference',
      id: 'd',
      status: 'current',
      type: { text: 'Progress note' },
      date: '2024-05-01T10:00:00Z',
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: btoa(html) } }],
      context: { encounter: [{ reference: 'Encounter/e1' }] },
    };
    expect(noteText(note)).to.equal(html);
    expect([...notesByEncounter([note]).keys()]).to.deep.equal(['e1']);
    const file = documentFile(note)!;
    expect(file.name).to.equal('Progress note-2024-05-01.txt');
    expect(new TextDecoder().decode(file.bytes)).to.equal(html);
  });
});
