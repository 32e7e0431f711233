import { expect } from '@open-wc/testing';
import type { CodeableConcept } from 'fhir/r4';
import { COMMON_TESTS, LOINC, labName, plainDisplay, technicalName } from './lab-names.js';

// Codings as they are written in ../shared/fhir (Synthea) and by the demo clinic (server/fhir/demo/catalog.ts):
// the demo writes LOINC long names as both display and text, Synthea mostly short names.
const loinc = (code: string, display: string, text: string | undefined = display): CodeableConcept => ({
  coding: [{ system: LOINC, code, display }],
  ...(text !== undefined ? { text } : {}),
});

describe('lab names for patients', () => {
  it("uses the clinic's own name for a common test, whatever the lab called it", () => {
    const ldl = 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay';
    expect(labName(loinc('18262-6', ldl))).to.equal('LDL cholesterol ("bad" cholesterol)');
    expect(labName(loinc('18262-6', 'Low Density Lipoprotein Cholesterol'))).to.equal(
      'LDL cholesterol ("bad" cholesterol)',
    );
    expect(labName(loinc('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'))).to.equal(
      'HbA1c (average blood sugar)',
    );
    expect(labName(loinc('51990-0', 'Basic metabolic panel - Blood'))).to.equal('Basic metabolic panel');
    expect(labName(loinc('85354-9', 'Blood pressure panel with all children optional'))).to.equal('Blood pressure');
  });

  it('names the panels and vital signs of the Synthea and demo records', () => {
    // Lipid panel, CBC, metabolic panel, HbA1c, glucose and vitals, by the codes those records use.
    for (const code of ['2093-3', '18262-6', '2085-9', '2571-8', '6690-2', '718-7', '777-3', '2339-0', '2345-7'])
      expect(COMMON_TESTS[code], code).to.exist;
    for (const code of ['2947-0', '2951-2', '6298-4', '2823-3', '38483-4', '2160-0', '33914-3', '4548-4'])
      expect(COMMON_TESTS[code], code).to.exist;
    for (const code of ['85354-9', '55284-4', '39156-5', '29463-7', '8302-2', '8867-4'])
      expect(COMMON_TESTS[code], code).to.exist;
  });

  it("uses the code's text when someone wrote it for people", () => {
    const phq = loinc(
      '44250-9',
      'Little interest or pleasure in doing things in last 2 weeks',
      'Little interest or pleasure in doing things?',
    );
    expect(labName(phq)).to.equal('Little interest or pleasure in doing things?');
    const packYears: CodeableConcept = {
      coding: [
        { system: 'http://snomed.info/sct', code: '401201003', display: 'Cigarette pack-years (observable entity)' },
      ],
      text: 'Cigarette pack-years',
    };
    expect(labName(packYears)).to.equal('Cigarette pack-years');
    expect(labName({ text: 'Home blood sugar reading' })).to.equal('Home blood sugar reading');
  });

  it('otherwise cleans the LOINC long name: no property in brackets, no method, no blood as specimen', () => {
    // As Synthea writes it: a zero-width space inside "Mass/volume".
    expect(labName(loinc('5792-7', 'Glucose [Mass/\u200bvolume] in Urine by Test strip'))).to.equal('Glucose in urine');
    expect(labName(loinc('6206-7', 'Peanut IgE Ab in Serum'))).to.equal('Peanut IgE Ab');
    expect(labName(loinc('20505-4', 'Bilirubin.total [Mass/\u200bvolume] in Urine by Test strip'))).to.equal(
      'Bilirubin total in urine',
    );
    expect(labName({ text: 'Sodium [Moles/volume] in Serum or Plasma' })).to.equal('Sodium');
    expect(plainDisplay('Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay')).to.equal(
      'Cholesterol in LDL',
    );
    expect(plainDisplay('Hematocrit [Volume Fraction] of Blood by Automated count')).to.equal('Hematocrit');
    expect(plainDisplay('Pain severity - 0-10 verbal numeric rating [Score] - Reported')).to.equal(
      'Pain severity - 0-10 verbal numeric rating',
    );
    expect(plainDisplay('Left ventricular Ejection fraction')).to.equal('Left ventricular Ejection fraction');
  });

  it('falls back to the bare code, then to the given word', () => {
    expect(labName({ coding: [{ system: LOINC, code: '75773-2' }] })).to.equal('75773-2');
    expect(labName(undefined)).to.equal('Test');
    expect(labName({}, 'Measurement')).to.equal('Measurement');
  });

  it('keeps the technical name with its code for the detail page', () => {
    expect(
      technicalName(loinc('18262-6', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay')),
    ).to.equal('Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay (LOINC 18262-6)');
    expect(technicalName(loinc('5792-7', 'Glucose [Mass/\u200bvolume] in Urine by Test strip'))).to.equal(
      'Glucose [Mass/volume] in Urine by Test strip (LOINC 5792-7)',
    );
    expect(
      technicalName({
        coding: [
          { system: 'http://snomed.info/sct', code: '401201003', display: 'Cigarette pack-years (observable entity)' },
        ],
      }),
    ).to.equal('Cigarette pack-years (observable entity) (SNOMED CT 401201003)');
    expect(technicalName({ text: 'Home blood sugar reading' })).to.equal(undefined);
  });
});
