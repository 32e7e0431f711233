import { expect } from '@open-wc/testing';
import type { RecordPage } from '../../session/record-page.js';
import { mountRecordPage, openTestRecord } from '../../session/mount-record-page.js';
import './results-page.js';
import './test-history-page.js';
import './medications-page.js';
import './visits-page.js';
import './allergies-page.js';
import './immunizations-page.js';
import './conditions-page.js';
import './procedures-page.js';
import './documents-page.js';
import './records-page.js';
import './search-page.js';

// A small record in the shapes Synthea and US Core write (../shared/fhir), stored through the real vault.
const P = 'patient-1';
const DB = 'mcl-vault-views-test';
const loinc = (code: string, display: string) => ({
  coding: [{ system: 'http://loinc.org', code, display }],
  text: display,
});
const glucose = (id: string, value: number, date: string, extra = {}) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: loinc('2339-0', 'Glucose'),
  effectiveDateTime: date,
  issued: date,
  valueQuantity: { value, unit: 'mg/dL' },
  referenceRange: [{ low: { value: 70, unit: 'mg/dL' }, high: { value: 99, unit: 'mg/dL' } }],
  ...extra,
});
// LDL as the demo clinic names it (the LOINC long name as display and text) and as Synthea sends it: no range.
const LDL_LONG = 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay';
const ldl = (id: string, value: number, date: string) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: loinc('18262-6', LDL_LONG),
  effectiveDateTime: date,
  valueQuantity: { value, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
});
const record = [
  {
    resourceType: 'Patient',
    id: P,
    name: [{ family: 'Gibson', given: ['Margery'] }],
    birthDate: '1948-03-10',
    deceasedDateTime: '2020-02-02T00:00:00Z',
  },
  glucose('g1', 88, '2023-01-05T09:00:00Z'),
  glucose('g2', 131, '2024-01-05T09:00:00Z'),
  ldl('l1', 142, '2018-03-01T09:00:00Z'),
  ldl('l2', 118, '2019-03-01T09:00:00Z'),
  {
    resourceType: 'DiagnosticReport',
    id: 'r1',
    status: 'final',
    code: loinc('51990-0', 'Basic metabolic panel'),
    effectiveDateTime: '2024-01-05T09:00:00Z',
    result: [{ reference: 'Observation/g2' }],
  },
  {
    resourceType: 'MedicationRequest',
    id: 'm1',
    status: 'active',
    intent: 'order',
    authoredOn: '2023-05-01',
    requester: { display: 'Dr. Ana Lee' },
    medicationCodeableConcept: { text: 'Metformin 500 MG Oral Tablet' },
    dosageInstruction: [
      {
        timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
        doseAndRate: [{ doseQuantity: { value: 1 } }],
      },
    ],
    dispenseRequest: { numberOfRepeatsAllowed: 2 },
  },
  {
    resourceType: 'MedicationRequest',
    id: 'm2',
    status: 'stopped',
    intent: 'order',
    authoredOn: '2015-05-01',
    medicationCodeableConcept: { text: 'Amoxicillin 250 MG' },
  },
  {
    resourceType: 'Encounter',
    id: 'e1',
    status: 'finished',
    class: { code: 'AMB' },
    type: [{ text: 'General examination' }],
    period: { start: '2024-01-05T08:30:00Z' },
    participant: [{ individual: { display: 'Dr. Ana Lee' } }],
    location: [{ location: { display: 'Main Street Clinic' } }],
    reasonCode: [{ text: 'Check-up' }],
  },
  {
    resourceType: 'DocumentReference',
    id: 'd1',
    status: 'current',
    type: { text: 'Progress note' },
    date: '2024-01-05T10:00:00Z',
    author: [{ display: 'Dr. Ana Lee' }],
    content: [{ attachment: { contentType: 'text/plain', data: btoa('<img src=x onerror=alert(1)> Feeling well.') } }],
    context: { encounter: [{ reference: 'Encounter/e1' }] },
  },
  {
    resourceType: 'AllergyIntolerance',
    id: 'a1',
    code: { text: 'Peanut' },
    criticality: 'high',
    clinicalStatus: { coding: [{ code: 'active' }] },
    recordedDate: '2010-01-01',
    patient: { reference: `Patient/${P}` },
  },
  {
    resourceType: 'Immunization',
    id: 'i1',
    status: 'completed',
    vaccineCode: { text: 'Influenza, seasonal' },
    occurrenceDateTime: '2023-10-01',
    patient: { reference: `Patient/${P}` },
  },
  {
    resourceType: 'Condition',
    id: 'c1',
    code: { text: 'Prediabetes' },
    clinicalStatus: { coding: [{ code: 'active' }] },
    onsetDateTime: '2019-03-01',
    subject: { reference: `Patient/${P}` },
  },
  {
    resourceType: 'Procedure',
    id: 'p1',
    status: 'completed',
    code: { text: 'Colonoscopy' },
    performedDateTime: '2018-06-01',
    subject: { reference: `Patient/${P}` },
  },
];

const page = <T extends RecordPage>(tag: string) => mountRecordPage<T>(tag, P);

describe('record views (real vault in IndexedDB)', () => {
  let record_: Awaited<ReturnType<typeof openTestRecord>>;
  before(async () => {
    record_ = await openTestRecord(
      DB,
      P,
      async (vault) => {
        await vault.put(P, record.slice(0, 2)); // the first glucose was seen at the first download
        await vault.markSeen(P, 'Observation', ['g1']);
        await vault.put(P, record.slice(2));
        await vault.markSeen(P, 'Observation', ['l1', 'l2']);
      },
      '2024-02-01T12:00:00Z',
    );
  });
  after(() => record_.close());

  it('results: by report and date, values, ranges, flags in words, "New" until opened', async () => {
    const el = await page('mcl-results-page');
    const root = el.shadowRoot!;
    expect(root.querySelector('.status')!.textContent).to.contain('Up to date as of');
    const titles = [...root.querySelectorAll('section h2')].map((h) => h.textContent!.replace(/\s+/g, ' ').trim());
    expect(titles[0]).to.match(/^Basic metabolic panel/);
    expect(titles[1]).to.match(/^Measurements/);
    const row = root.querySelector('section tbody tr')!.textContent!.replace(/\s+/g, ' ');
    expect(row).to.contain('131 mg/dL').and.contain('High').and.contain('70–99 mg/dL').and.contain('New');
    expect(root.querySelectorAll('.new').length).to.equal(1);
    await expect(el).to.be.accessible();
  });

  it('results: each test under the name a patient understands, never the LOINC long name', async () => {
    const el = await page('mcl-results-page');
    const names = [...el.shadowRoot!.querySelectorAll('tbody th a')].map((a) => a.textContent!.trim());
    expect(names).to.include('Blood sugar (glucose)').and.include('LDL cholesterol ("bad" cholesterol)');
    expect(names.filter((n) => n.includes('[') || n === LDL_LONG)).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('test history: a chart with a text summary and a table; opening it marks the results seen', async () => {
    history.replaceState(null, '', `?code=${encodeURIComponent('http://loinc.org|2339-0')}`);
    const el = await page('mcl-test-history-page');
    const root = el.shadowRoot!;
    expect(root.querySelector('svg[role="img"]')!.getAttribute('aria-label')).to.contain('2 results from');
    expect(root.querySelectorAll('tbody tr').length).to.equal(2);
    await expect(el).to.be.accessible();
    expect((await record_.vault.unseen(P, 'Observation', ['g1', 'g2'])).size).to.equal(0);
    history.replaceState(null, '', location.pathname);
  });

  it("test history: the plain name, the technical one with its code, and the lab's range as a band", async () => {
    history.replaceState(null, '', `?code=${encodeURIComponent('http://loinc.org|2339-0')}`);
    const el = await page('mcl-test-history-page');
    const root = el.shadowRoot!;
    expect(root.querySelector('h1')!.textContent).to.equal('Blood sugar (glucose)');
    expect(root.querySelector('.technical')!.textContent).to.equal('Technical name: Glucose (LOINC 2339-0)');
    const label = root.querySelector('svg[role="img"]')!.getAttribute('aria-label')!;
    expect(label).to.contain("Shaded band: Normal range: 70–99 mg/dL (the lab's range).");
    expect(root.querySelector('figcaption')!.textContent!.replace(/\s+/g, ' ')).to.contain(
      "Shaded: Normal range: 70–99 mg/dL (the lab's range).",
    );
    // The band spans 70 to 99 on the chart's own scale: its top is higher (smaller y) than its bottom.
    const band = root.querySelector('svg rect.band')!;
    expect(Number(band.getAttribute('height'))).to.be.greaterThan(0);
    await expect(el).to.be.accessible();
    history.replaceState(null, '', location.pathname);
  });

  it("test history with no lab range: the clinic's usual adult range, said to be the clinic's; no inline style", async () => {
    history.replaceState(null, '', `?code=${encodeURIComponent('http://loinc.org|18262-6')}`);
    const el = await page('mcl-test-history-page');
    const root = el.shadowRoot!;
    expect(root.querySelector('h1')!.textContent).to.equal('LDL cholesterol ("bad" cholesterol)');
    expect(root.querySelector('.technical')!.textContent).to.equal(`Technical name: ${LDL_LONG} (LOINC 18262-6)`);
    expect(root.querySelector('svg[role="img"]')!.getAttribute('aria-label')).to.contain(
      "Normal range: up to 99 mg/dL (the clinic's usual range for adults; the lab sent none)",
    );
    expect(root.querySelector('svg rect.band')).to.exist;
    // The server's CSP (style-src 'self') refuses style attributes: the page must not need one.
    expect([...root.querySelectorAll('[style]')].map((e) => e.outerHTML)).to.deep.equal([]);
    await expect(el).to.be.accessible();
    history.replaceState(null, '', location.pathname);
  });

  it('medications: current with plain dosage and refills, then past', async () => {
    const el = await page('mcl-medications-page');
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text)
      .to.contain('Taking now (1)')
      .and.contain('Take 1 twice a day')
      .and.contain('2 refills allowed')
      .and.contain('Past medications (1)');
    // Refills have their own page: each current prescription links there, naming itself.
    const links = el.shadowRoot!.querySelectorAll('a[href^="/refills"]');
    expect(links).to.have.length(1);
    expect(links[0]!.getAttribute('aria-label')).to.equal('Request refill: Metformin 500 MG Oral Tablet');
    expect(links[0]!.getAttribute('href')).to.equal('/refills?for=m1');
    await expect(el).to.be.accessible();
  });

  it('visits: clinician, place, reason and the note as text (no markup runs)', async () => {
    const el = await page('mcl-visits-page');
    const root = el.shadowRoot!;
    expect(root.textContent).to.contain('With Dr. Ana Lee, at Main Street Clinic');
    const note = root.querySelector('pre.note')!;
    expect(note.textContent).to.equal('<img src=x onerror=alert(1)> Feeling well.');
    expect(note.querySelector('img')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  for (const [tag, text] of [
    ['mcl-allergies-page', 'Peanut'],
    ['mcl-immunizations-page', 'Influenza, seasonal'],
    ['mcl-conditions-page', 'Prediabetes'],
    ['mcl-procedures-page', 'Colonoscopy'],
  ] as const) {
    it(`${tag}: lists the entry, axe clean`, async () => {
      const el = await page(tag);
      expect(el.shadowRoot!.textContent).to.contain(text);
      await expect(el).to.be.accessible();
    });
  }

  it('documents: readable here and downloadable', async () => {
    const el = await page('mcl-documents-page');
    expect(el.shadowRoot!.textContent).to.contain('Progress note').and.contain('From Dr. Ana Lee');
    expect(el.shadowRoot!.querySelector('button[aria-label^="Download"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it("overview: counts, and a deceased person's record introduced with respect", async () => {
    const el = await page('mcl-records-page');
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text)
      .to.contain('a person who has died')
      .and.contain('Medications (2, 1 current)')
      .and.contain('Test results (4)');
    await expect(el).to.be.accessible();
  });
});
