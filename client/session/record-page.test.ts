import { expect, html } from '@open-wc/testing';
import { customElement, state } from 'lit/decorators.js';
import type { MedicationRequest } from 'fhir/r4';
import { RecordPage } from './record-page.js';
import { mountRecordPage, openTestRecord } from './mount-record-page.js';
import type { Vault } from '../record/vault.js';

const P = 'patient-live';
const DB = 'mcl-vault-record-page-test';
const med = (id: string, text: string): MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'active',
  intent: 'order',
  subject: { reference: `Patient/${P}` },
  authoredOn: '2024-01-0' + id.slice(-1),
  medicationCodeableConcept: { text },
});

/** A record page that lists the medications and counts what is in the outbox, and counts its own readings. */
@customElement('mcl-live-test-page')
class LiveTestPage extends RecordPage {
  protected readonly heading = 'Live';
  @state() names: string[] = [];
  @state() outbox = 0;
  reads = 0;
  protected async load(vault: Vault, patientId: string) {
    this.reads++;
    this.names = (await vault.list<MedicationRequest>(patientId, 'MedicationRequest')).map(
      (m) => m.medicationCodeableConcept!.text!,
    );
    this.outbox = (await vault.outboxItems()).length;
  }
  protected renderBody() {
    return html`<ul class="items">${this.names.map((n) => html`<li>${n}</li>`)}</ul>
      <p id="outbox">${this.outbox} on the way</p>`;
  }
}

const text = (el: HTMLElement) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
async function until(ok: () => boolean, ms = 2000) {
  for (let t = 0; t < ms && !ok(); t += 20) await new Promise((r) => setTimeout(r, 20));
}

describe('record page base: the page follows the local record (live query)', () => {
  let record: Awaited<ReturnType<typeof openTestRecord>>;
  beforeEach(async () => {
    record = await openTestRecord(DB, P, (vault) => vault.put(P, [med('m1', 'Metformin 500 MG')]));
  });
  afterEach(() => record.close());

  it('shows a row written into the local record after it opened, with no reload or refresh', async () => {
    const el = await mountRecordPage<LiveTestPage>('mcl-live-test-page', P);
    expect(text(el)).to.contain('Metformin 500 MG');
    // Written straight into the record's table (as the sync worker does), nothing else called.
    await record.vault.put(P, [med('m2', 'Lisinopril 10 MG')]);
    await until(() => text(el).includes('Lisinopril 10 MG'));
    expect(text(el)).to.contain('Lisinopril 10 MG').and.contain('Metformin 500 MG');
    await expect(el).to.be.accessible();
  });

  it('shows what the outbox stored (a write Dexie did not make) and each change of its state', async () => {
    const el = await mountRecordPage<LiveTestPage>('mcl-live-test-page', P);
    expect(text(el)).to.contain('0 on the way');
    const item = {
      id: 'o1',
      createdAt: new Date().toISOString(),
      state: 'waiting' as const,
      kind: 'refill' as const,
      subject: 'm1',
      action: 'refill.request' as const,
      body: {},
    };
    await record.vault.putOutbox(item);
    await until(() => text(el).includes('1 on the way'));
    expect(text(el)).to.contain('1 on the way');
    await record.vault.deleteOutbox('o1');
    await until(() => text(el).includes('0 on the way'));
    expect(text(el)).to.contain('0 on the way');
  });

  it('reads once a sync has finished, not during it', async () => {
    const el = await mountRecordPage<LiveTestPage>('mcl-live-test-page', P);
    const rs = el['record'].session!;
    const before = el.reads;
    rs.syncing = true;
    await record.vault.put(P, [med('m2', 'Lisinopril 10 MG')]);
    await record.vault.put(P, [med('m3', 'Atorvastatin 20 MG')]);
    await new Promise((r) => setTimeout(r, 200));
    expect(el.reads, 'nothing read during the sync').to.equal(before);
    expect(text(el)).not.to.contain('Lisinopril');
    rs.syncing = false;
    rs.dispatchEvent(new Event('change'));
    await until(() => text(el).includes('Atorvastatin 20 MG'));
    expect(text(el)).to.contain('Lisinopril 10 MG').and.contain('Atorvastatin 20 MG');
    expect(el.reads, 'read once').to.equal(before + 1);
  });

  it('does not read again after a sync that found nothing new (every 45 s it only notes when it looked)', async () => {
    const el = await mountRecordPage<LiveTestPage>('mcl-live-test-page', P);
    const before = el.reads;
    await record.vault.db.sync.put({ patientId: P, cursor: 1, lastSyncAt: new Date().toISOString() });
    await record.vault.markSeen(P, 'Observation', []);
    await new Promise((r) => setTimeout(r, 200));
    expect(el.reads).to.equal(before);
    // Something opened (in another tab, say) is news to the page.
    await record.vault.markSeen(P, 'Communication', ['r1']);
    await until(() => el.reads === before + 1);
    expect(el.reads).to.equal(before + 1);
    await record.vault.markSeen(P, 'Communication', ['r1']);
    await new Promise((r) => setTimeout(r, 200));
    expect(el.reads, 'marking again what was already seen writes nothing').to.equal(before + 1);
  });

  it('stops watching when it leaves the page', async () => {
    const el = await mountRecordPage<LiveTestPage>('mcl-live-test-page', P);
    const before = el.reads;
    el.remove();
    await record.vault.put(P, [med('m2', 'Lisinopril 10 MG')]);
    await new Promise((r) => setTimeout(r, 200));
    expect(el.reads).to.equal(before);
  });
});
