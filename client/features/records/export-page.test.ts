import { expect } from '@open-wc/testing';
import { mountRecordPage, openTestRecord } from '../../session/mount-record-page.js';
import type { ExportPage } from './export-page.js';
import './export-page.js';

// "Download for another clinic" ([4/11]): both files made in the export worker from the real (encrypted) local
// record, saved through client/ui/download.ts, and the export told to the server through the outbox.
const P = 'patient-1';
const DB = 'mcl-vault-export-test';
const record = [
  { resourceType: 'Patient', id: P, name: [{ family: 'Gibson', given: ['Margery'] }], birthDate: '1948-02-01' },
  {
    resourceType: 'MedicationRequest',
    id: 'm1',
    status: 'active',
    intent: 'order',
    subject: { reference: `Patient/${P}` },
    authoredOn: '2024-05-01',
    medicationCodeableConcept: { text: 'Metformin 500 MG <Oral Tablet>' },
  },
  {
    resourceType: 'AllergyIntolerance',
    id: 'a1',
    clinicalStatus: { coding: [{ code: 'active' }] },
    code: { text: 'Peanuts' },
    patient: { reference: `Patient/${P}` },
  },
  {
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    category: [{ coding: [{ code: 'laboratory' }] }],
    code: { text: 'Hemoglobin A1c' },
    subject: { reference: `Patient/${P}` },
    effectiveDateTime: '2026-10-01T09:00:00Z',
    valueQuantity: { value: 6.1, unit: '%' },
  },
];

const text = (el: HTMLElement) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
const button = (el: HTMLElement, label: RegExp) =>
  [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(b.textContent!))!;
async function until(ok: () => boolean, ms = 5000) {
  for (let t = 0; t < ms && !ok(); t += 20) await new Promise((r) => setTimeout(r, 20));
}

describe('mcl-export-page: download for another clinic (real vault, export worker)', () => {
  let rec: Awaited<ReturnType<typeof openTestRecord>>;
  const saved: { name: string; blob: Blob }[] = [];
  const posts: { path: string; body: unknown }[] = [];
  const realFetch = window.fetch;
  const realCreate = URL.createObjectURL;
  const realClick = HTMLAnchorElement.prototype.click;
  let lastBlob: Blob | undefined;
  before(async () => {
    rec = await openTestRecord(DB, P, (v) => v.put(P, record));
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      lastBlob = blob as Blob;
      return realCreate.call(URL, blob);
    };
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      if (this.download) saved.push({ name: this.download, blob: lastBlob! });
      else realClick.call(this);
    };
    window.fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input), location.href);
      if (url.pathname === '/api/records/exported') {
        posts.push({ path: url.pathname, body: JSON.parse(String(init?.body)) });
        return new Response(JSON.stringify({ noted: true }), {
          status: 201,
          headers: { 'Content-Type': 'application/json' },
        });
      }
      return realFetch(input, init);
    };
  });
  after(async () => {
    window.fetch = realFetch;
    URL.createObjectURL = realCreate;
    HTMLAnchorElement.prototype.click = realClick;
    await rec.close();
  });

  it('offers both files in plain words; axe clean', async () => {
    const el = await mountRecordPage<ExportPage>('mcl-export-page', P);
    expect(el.shadowRoot!.querySelector('h1')!.textContent).to.equal('Download for another clinic');
    expect(button(el, /^\s*Your whole record \(FHIR R4 Bundle, \.json\)\s*$/)).to.exist;
    expect(button(el, /^\s*International Patient Summary \(IPS, \.json\)\s*$/)).to.exist;
    expect(text(el)).to.contain('work without a connection').and.contain('4 entries');
    await expect(el).to.be.accessible();
  });

  it('saves the whole record as a FHIR Bundle and the IPS as a document, and tells the server of each', async () => {
    const el = await mountRecordPage<ExportPage>('mcl-export-page', P);
    saved.length = posts.length = 0;
    button(el, /FHIR R4 Bundle/).click();
    await until(() => saved.length === 1 && posts.length === 1);
    await el.updateComplete;
    expect(saved[0]!.name).to.match(/^health-record-fhir-\d{4}-\d{2}-\d{2}\.json$/);
    expect(saved[0]!.blob.type).to.equal('application/fhir+json');
    const bundle = JSON.parse(await saved[0]!.blob.text());
    expect(bundle.resourceType).to.equal('Bundle');
    expect(bundle.type).to.equal('collection');
    expect(bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)).to.deep.equal([
      'Patient',
      'AllergyIntolerance',
      'MedicationRequest',
      'Observation',
    ]);
    expect(text(el)).to.contain(`Saved ${saved[0]!.name}.`);

    button(el, /IPS/).click();
    await until(() => saved.length === 2 && posts.length === 2);
    await el.updateComplete;
    const ips = JSON.parse(await saved[1]!.blob.text());
    expect(saved[1]!.name).to.match(/^patient-summary-ips-/);
    expect(ips.resourceType).to.equal('Bundle');
    expect(ips.type).to.equal('document');
    expect(ips.entry[0].resource.resourceType).to.equal('Composition');
    const sections = ips.entry[0].resource.section as { title: string; entry?: unknown[]; text: { div: string } }[];
    expect(sections.map((s) => s.title)).to.deep.equal([
      'Medication Summary',
      'Allergies and Intolerances',
      'Problem List',
      'Results',
    ]);
    expect(sections[0]!.text.div).to.contain('Metformin 500 MG &lt;Oral Tablet&gt;');
    expect(posts.map((p) => p.body)).to.deep.equal([
      { patientId: P, kind: 'fhir' },
      { patientId: P, kind: 'ips' },
    ]);
    // Once told, nothing of it stays in the outbox.
    await until(() => false, 100);
    expect((await rec.vault.outboxItems()).filter((i) => i.kind === 'export')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('online with an old sign-in: asks to confirm it is you first; cancelled, nothing is made', async () => {
    const session = {
      account: { id: 'acct', patientId: P },
      info: { freshUntil: new Date(Date.now() - 60_000).toISOString() },
    };
    const el = await mountRecordPage<ExportPage>('mcl-export-page', P, { session });
    saved.length = posts.length = 0;
    button(el, /IPS/).click();
    const dialog = el.shadowRoot!.querySelector('mcl-reauth-dialog')!;
    await until(() => dialog.shadowRoot?.querySelector('dialog')?.open === true);
    expect(dialog.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    dialog.shadowRoot!.querySelector('dialog')!.dispatchEvent(new Event('cancel'));
    await until(() => el.shadowRoot!.querySelector('[role=alert]') !== null);
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('Nothing was downloaded');
    expect(saved).to.have.length(0);
    expect(posts).to.have.length(0);
  });
});
