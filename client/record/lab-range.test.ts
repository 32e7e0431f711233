import { expect } from '@open-wc/testing';
import type { Observation, Patient } from 'fhir/r4';
import { adultOn, normalRange } from './lab-range.js';

const LDL = { system: 'http://loinc.org', code: '18262-6', display: 'Low Density Lipoprotein Cholesterol' };
const GLUCOSE = { system: 'http://loinc.org', code: '2339-0', display: 'Glucose' };
const mgdl = (value: number) => ({ value, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' });

// Synthea writes no reference range; the demo clinic writes low/high and a text (server/fhir/demo/records.ts).
const result = (id: string, coding: typeof LDL, value: number, date: string, extra: Partial<Observation> = {}) =>
  ({
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [coding], text: coding.display },
    effectiveDateTime: date,
    valueQuantity: mgdl(value),
    ...extra,
  }) as Observation;
const labSaid = (high: number, low?: number) => ({
  referenceRange: [{ ...(low !== undefined ? { low: mgdl(low) } : {}), high: mgdl(high), text: `≤ ${high} mg/dL` }],
});

describe('the normal range behind a trend', () => {
  it("is the lab's range of the latest result that has one", () => {
    const history = [
      result('a', LDL, 120, '2023-01-01', labSaid(129)),
      result('b', LDL, 110, '2024-01-01', labSaid(99)),
      result('c', LDL, 104, '2025-01-01'),
    ];
    expect(normalRange(history, { adult: true })).to.deep.equal({
      high: 99,
      unit: 'mg/dL',
      source: 'lab',
      text: 'up to 99 mg/dL',
    });
    expect(normalRange([result('g', GLUCOSE, 90, '2025-01-01', labSaid(99, 70))], { adult: false })).to.deep.equal({
      low: 70,
      high: 99,
      unit: 'mg/dL',
      source: 'lab',
      text: '70–99 mg/dL',
    });
  });

  it("is the clinic's usual adult range when the lab sent none, and says so", () => {
    const synthea = [result('a', GLUCOSE, 88, '2020-01-01'), result('b', GLUCOSE, 104, '2021-01-01')];
    expect(normalRange(synthea, { adult: true })).to.deep.equal({
      low: 70,
      high: 99,
      unit: 'mg/dL',
      source: 'clinic',
      text: '70–99 mg/dL',
    });
    const hdl = { system: 'http://loinc.org', code: '2085-9', display: 'High Density Lipoprotein Cholesterol' };
    expect(normalRange([result('h', hdl, 52, '2021-01-01')], { adult: true })?.text).to.equal('40 mg/dL or more');
  });

  it('draws no band for a child without a lab range, in another unit, or for a test without a usual range', () => {
    const synthea = [result('a', GLUCOSE, 88, '2020-01-01')];
    expect(normalRange(synthea, { adult: false })).to.equal(undefined);
    const mmol = result('m', GLUCOSE, 5.1, '2020-01-01', {
      valueQuantity: { value: 5.1, unit: 'mmol/L', code: 'mmol/L' },
    });
    expect(normalRange([mmol], { adult: true })).to.equal(undefined);
    // A lab range in another unit than the result is not drawn over it.
    const mixed = result('x', LDL, 2.6, '2020-01-01', {
      valueQuantity: { value: 2.6, unit: 'mmol/L', code: 'mmol/L' },
      ...labSaid(99),
    });
    expect(normalRange([mixed], { adult: true })).to.equal(undefined);
    const weight = { system: 'http://loinc.org', code: '29463-7', display: 'Body Weight' };
    expect(normalRange([result('w', weight, 80, '2020-01-01')], { adult: true })).to.equal(undefined);
    expect(normalRange([], { adult: true })).to.equal(undefined);
  });

  it('knows an adult by the birth date and the date of the result', () => {
    const patient = { resourceType: 'Patient', birthDate: '2007-03-15' } as Patient;
    expect(adultOn(patient, '2025-03-14T23:00:00Z')).to.equal(false);
    expect(adultOn(patient, '2025-03-15T09:00:00Z')).to.equal(true);
    expect(adultOn({ resourceType: 'Patient' }, '2025-03-15')).to.equal(false);
    expect(adultOn(undefined, '2025-03-15')).to.equal(false);
  });
});
