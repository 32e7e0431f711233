import { expect } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { RecordPage } from '../../session/record-page.js';
import { mountRecordPage, openTestRecord } from '../../session/mount-record-page.js';
import './results-page.js';
import './medications-page.js';
import './records-page.js';

// Print ([4/11]): every record view has a Print button, and on paper a header that says whose record it is.
const P = 'patient-print';
const DB = 'mcl-vault-print-test';
const patient = {
  resourceType: 'Patient',
  id: P,
  identifier: [
    { system: 'https://github.com/synthetichealth/synthea', value: 'not-an-mrn' },
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
      system: 'http://hospital.example',
      value: 'MRN-100101',
    },
  ],
  name: [
    { use: 'maiden', family: 'Schamberger', given: ['Margery'] },
    { use: 'official', family: 'Gibson', given: ['Margery'], prefix: ['Mrs.'] },
  ],
  birthDate: '1948-11-08',
};
const glucose = (id: string, day: number) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2339-0', display: 'Glucose' }], text: 'Glucose' },
  effectiveDateTime: `2024-01-${String(day).padStart(2, '0')}T09:00:00Z`,
  valueQuantity: { value: 90 + day, unit: 'mg/dL' },
});

const metformin = {
  resourceType: 'MedicationRequest',
  id: 'm1',
  status: 'active',
  intent: 'order',
  subject: { reference: `Patient/${P}` },
  authoredOn: '2024-01-02',
  medicationCodeableConcept: { text: 'Metformin 500 MG' },
};

const shown = (el: Element) => getComputedStyle(el).display !== 'none';

describe('printing a record page', () => {
  let record: Awaited<ReturnType<typeof openTestRecord>>;
  let printed: number;
  const realPrint = window.print;
  beforeEach(async () => {
    printed = 0;
    window.print = () => void printed++;
    record = await openTestRecord(DB, P, (vault) =>
      vault.put(P, [patient, metformin, ...Array.from({ length: 25 }, (_, i) => glucose(`g${i}`, i + 1))] as never[]),
    );
  });
  afterEach(async () => {
    window.print = realPrint;
    await emulateMedia({ media: 'screen' });
    await record.close();
  });

  for (const tag of ['mcl-results-page', 'mcl-medications-page', 'mcl-records-page']) {
    it(`${tag} has a labelled Print button that opens the browser's print, by mouse and by keyboard`, async () => {
      const el = await mountRecordPage<RecordPage>(tag, P);
      const button = [...el.shadowRoot!.querySelectorAll('button')].find(
        (b) => b.textContent!.trim() === 'Print this page',
      );
      expect(button, 'Print this page').to.exist;
      button!.click();
      expect(printed).to.equal(1);
      button!.focus();
      await sendKeys({ press: 'Enter' });
      expect(printed).to.equal(2);
      await expect(el).to.be.accessible();
    });
  }

  it('on screen the print header is not there; in print it names the patient, date of birth, MRN and the time', async () => {
    const el = await mountRecordPage<RecordPage>('mcl-results-page', P);
    const header = el.shadowRoot!.querySelector('.print-header')!;
    expect(shown(header), 'hidden on screen').to.be.false;
    await emulateMedia({ media: 'print' });
    expect(shown(header), 'shown in print').to.be.true;
    const text = header.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('Margery Gibson').and.contain('MRN: MRN-100101').and.contain('Printed ');
    expect(text, 'the official name, not the maiden one').not.to.contain('Schamberger');
    expect(text).to.contain(
      `Date of birth: ${new Date('1948-11-08T12:00:00').toLocaleDateString(undefined, { dateStyle: 'medium' })}`,
    );
    const button = el.shadowRoot!.querySelector('.print-action')!;
    expect(shown(button), 'the button is not printed').to.be.false;
    expect(shown(el.shadowRoot!.querySelector('.status')!), 'the sync status is not printed').to.be.false;
    const more = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.includes('Show older'));
    expect(more && shown(more), '"Show older" is not printed').to.equal(false);
    expect(getComputedStyle(el.shadowRoot!.querySelector('thead')!).display).to.equal('table-header-group');
    expect(getComputedStyle(el.shadowRoot!.querySelector('tr')!).breakInside).to.equal('avoid');
    expect(getComputedStyle(el.shadowRoot!.querySelector('h2')!).breakAfter).to.equal('avoid');
    await expect(el).to.be.accessible();
  });

  it('a medication list on paper keeps the medicines and drops "Request refill"', async () => {
    const el = await mountRecordPage<RecordPage>('mcl-medications-page', P);
    const refill = [...el.shadowRoot!.querySelectorAll('a')].find((a) => a.textContent === 'Request refill')!;
    expect(shown(refill.parentElement!), 'on screen').to.be.true;
    await emulateMedia({ media: 'print' });
    expect(shown(refill.parentElement!), 'in print').to.be.false;
    expect(el.shadowRoot!.querySelector('li.card h3')!.textContent).to.equal('Metformin 500 MG');
    expect(getComputedStyle(el.shadowRoot!.querySelector('li.card')!).breakInside, 'a card is not split').to.equal(
      'avoid',
    );
  });

  it('puts whose record it is at the top of every printed page (a document @page rule), and takes it away after', async () => {
    const el = await mountRecordPage<RecordPage>('mcl-results-page', P);
    const head = () =>
      document.adoptedStyleSheets
        .flatMap((sheet) => [...sheet.cssRules])
        .map((rule) => rule.cssText)
        .find((text) => text.includes('@top-left'));
    expect(head()).to.contain('Margery Gibson · born').and.contain('MRN MRN-100101');
    el.remove();
    expect(head()).to.equal(undefined);
  });
});
