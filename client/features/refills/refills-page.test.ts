import { expect } from '@open-wc/testing';
import type { MedicationRequest, Task } from 'fhir/r4';
import { mountRecordPage, openTestRecord } from '../../session/mount-record-page.js';
import { decisionKey } from '../../record/news.js';
import { arrived, latestRequests, refillState } from '../../record/refills.js';
import type { OutboxItem } from '../../record/vault.js';
import { SHARED_KEY } from '../../session/session-controller.js';
import type { RefillsPage } from './refills-page.js';
import './refills-page.js';

// Prescriptions and refill requests (Tasks) in the shapes the server writes (server/routes/refills.ts).
const P = 'patient-1';
const DB = 'mcl-vault-refills-test';
const med = (id: string, text: string, extra: Partial<MedicationRequest> = {}): MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'active',
  intent: 'order',
  subject: { reference: `Patient/${P}` },
  authoredOn: '2024-05-01',
  medicationCodeableConcept: { text },
  dispenseRequest: { numberOfRepeatsAllowed: 2 },
  ...extra,
});
const task = (id: string, medId: string, status: Task['status'], extra: Partial<Task> = {}): Task => ({
  resourceType: 'Task',
  id,
  status,
  intent: 'order',
  focus: { reference: `MedicationRequest/${medId}` },
  for: { reference: `Patient/${P}` },
  authoredOn: '2026-11-20T09:00:00Z',
  lastModified: '2026-11-21T09:00:00Z',
  ...extra,
});
const record = [
  med('m1', 'Metformin 500 MG'),
  med('m2', 'Lisinopril 10 MG', { dispenseRequest: { numberOfRepeatsAllowed: 0 } }),
  med('m3', 'Amoxicillin 250 MG', { status: 'stopped' }),
  med('m4', 'Atorvastatin 20 MG'),
  med('m5', 'Omeprazole 20 MG'),
  task('t4', 'm4', 'requested'),
  task('t5', 'm5', 'rejected', { statusReason: { text: 'Please book a review first.' } }),
];

const text = (el: HTMLElement) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
const card = (el: HTMLElement, name: string) =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('li.card')].find((li) => li.textContent!.includes(name));
const offered = (el: HTMLElement) =>
  [...el.shadowRoot!.querySelectorAll<HTMLOptionElement>('#medication option')].map((o) => o.value).filter(Boolean);
async function until(ok: () => boolean, ms = 3000) {
  for (let t = 0; t < ms && !ok(); t += 20) await new Promise((r) => setTimeout(r, 20));
}
async function ask(el: RefillsPage, pharmacy: string, note = '') {
  const root = el.shadowRoot!;
  root.querySelector<HTMLInputElement>('#pharmacy')!.value = pharmacy;
  root.querySelector<HTMLInputElement>('#note')!.value = note;
  root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
}

describe('refills page (real vault in IndexedDB, the outbox posting to the test server)', () => {
  let rec: Awaited<ReturnType<typeof openTestRecord>>;
  let posts: string[];
  const realFetch = window.fetch;
  beforeEach(async () => {
    rec = await openTestRecord(DB, P, (v) => v.put(P, record), '2026-11-22T12:00:00Z');
    posts = [];
    window.fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input), location.href);
      if ((init?.method ?? 'GET') === 'POST') posts.push(url.pathname);
      return realFetch(input, init);
    };
  });
  afterEach(async () => {
    window.fetch = realFetch;
    history.replaceState(null, '', location.pathname);
    await rec.close();
  });
  const open = (query = '') => {
    history.replaceState(null, '', `${location.pathname}${query}`);
    return mountRecordPage<RefillsPage>('mcl-refills-page', P);
  };

  it('chooses the prescription the address names; offers current ones without an open request; shows each request; axe clean', async () => {
    const el = await open('?for=m1');
    expect(el.shadowRoot!.querySelector('h1')!.textContent).to.equal('Refills');
    expect(el.shadowRoot!.querySelector<HTMLSelectElement>('#medication')!.value).to.equal('m1');
    expect(offered(el)).to.deep.equal(['m2', 'm1', 'm5']);
    expect(el.shadowRoot!.querySelector('option[value=m2]')!.textContent).to.contain('a renewal');
    expect(card(el, 'Atorvastatin')!.querySelector('[role=status]')!.textContent).to.match(
      /^Refill requested on .*: requested, waiting for your care team\.$/,
    );
    expect(card(el, 'Omeprazole')!.textContent).to.contain('denied – Please book a review first.');
    expect(text(el)).not.to.contain('Amoxicillin');
    await expect(el).to.be.accessible();
    // Seen here: the decision is no longer news on Home.
    expect((await rec.vault.unseen(P, 'Task', [decisionKey(record[6] as Task)])).size).to.equal(0);
  });

  it('sends one refill.request through the outbox and shows it waiting, from the local record; no second request meanwhile', async () => {
    const el = await open('?for=m1');
    // "unreachable": the test server answers 503 (the portal is struggling), so the item stays waiting.
    await ask(el, 'Main Street Pharmacy', 'unreachable');
    await until(() => card(el, 'Metformin')?.textContent?.includes('Sending your request…') ?? false);
    expect(card(el, 'Metformin')!.querySelector('[role=status]')!.textContent).to.equal('Sending your request…');
    const items = await rec.vault.outboxItems();
    expect(items).to.have.length(1);
    expect(items[0]).to.include({ action: 'refill.request', kind: 'refill', subject: 'm1', state: 'waiting' });
    expect(items[0]!.body).to.deep.equal({
      medicationRequestId: 'm1',
      pharmacy: 'Main Street Pharmacy',
      note: 'unreachable',
    });
    await until(() => posts.length > 0);
    expect(posts, 'the outbox sent it, once').to.deep.equal(['/api/refills']);
    expect(offered(el), 'no second request while one is on its way').to.deep.equal(['m2', 'm5']);
    expect(text(el)).to.contain('Your request for Metformin 500 MG is saved on this device and on its way.');
    await expect(el).to.be.accessible();
  });

  it('on a computer marked as shared, the confirmation does not say the request is kept on this device', async () => {
    sessionStorage.setItem(SHARED_KEY, '1');
    try {
      const el = await open('?for=m1');
      await ask(el, 'Main Street Pharmacy', 'unreachable');
      await until(() => text(el).includes('Your request for Metformin 500 MG is'));
      expect(text(el)).to.contain('Your request for Metformin 500 MG is saved and on its way.');
      expect(text(el)).not.to.contain('on this device');
      await expect(el).to.be.accessible();
    } finally {
      sessionStorage.removeItem(SHARED_KEY);
    }
  });

  it('keeps a refused request with the reason until it is removed, then offers the prescription again', async () => {
    const el = await open('?for=m2');
    await ask(el, 'Main Street Pharmacy'); // the test server refuses it (404)
    await until(() => !!card(el, 'Lisinopril')?.querySelector('[role=alert]'));
    expect(card(el, 'Lisinopril')!.querySelector('[role=alert]')!.textContent).to.contain(
      'Your request was not accepted: The portal refused this (404).',
    );
    expect(offered(el)).not.to.include('m2');
    await expect(el).to.be.accessible();
    [...card(el, 'Lisinopril')!.querySelectorAll('button')]
      .find((b) => b.textContent === 'Remove this request')!
      .click();
    await until(() => offered(el).includes('m2'));
    expect(offered(el)).to.deep.equal(['m2', 'm1', 'm5']);
    expect(await rec.vault.outboxItems()).to.have.length(0);
  });

  it('a sent request shows as sent until its Task arrives in the record, which then replaces it', async () => {
    const el = await open();
    await rec.vault.putOutbox({
      id: 'o1',
      createdAt: new Date().toISOString(),
      state: 'sent',
      kind: 'refill',
      subject: 'm1',
      title: 'Refill: Metformin 500 MG',
      action: 'refill.request',
      body: { medicationRequestId: 'm1', pharmacy: 'Main Street Pharmacy' },
      response: { task: { id: 't1' } },
    });
    await until(() => card(el, 'Metformin')?.textContent?.includes('Request sent.') ?? false);
    expect(card(el, 'Metformin')!.querySelector('[role=status]')!.textContent).to.equal('Request sent.');
    // The sync brings the Task (written into the record as the worker does).
    await rec.vault.put(P, [task('t1', 'm1', 'requested', { authoredOn: '2026-11-22T12:05:00Z' })]);
    await until(() => card(el, 'Metformin')?.textContent?.includes('waiting for your care team') ?? false);
    expect(card(el, 'Metformin')!.querySelector('[role=status]')!.textContent).to.match(/^Refill requested on /);
    for (let i = 0; i < 50 && (await rec.vault.outboxItems()).length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await rec.vault.outboxItems(), 'the sent item is done').to.have.length(0);
  });

  it('says so when the prescription the address names already has a request open', async () => {
    const el = await open('?for=m4');
    expect(text(el)).to.contain('Atorvastatin 20 MG already has a request: see below.');
    expect(el.shadowRoot!.querySelector<HTMLSelectElement>('#medication')!.value).to.equal('');
  });

  it('helpers: the newest request per prescription, its state, and when a sent item has arrived', () => {
    const older = task('a', 'm1', 'completed', { authoredOn: '2025-01-01' });
    const newer = task('b', 'm1', 'requested', { authoredOn: '2026-01-01' });
    const requests = latestRequests([newer, older]);
    expect(requests.get('m1')!.id).to.equal('b');
    const m1 = med('m1', 'Metformin');
    expect(refillState(m1, [], requests)).to.deep.equal({ state: 'open', task: newer });
    expect(refillState(m1, [], latestRequests([older]))).to.deep.equal({ state: 'none', last: older });
    const item = {
      id: 'o',
      kind: 'refill',
      subject: 'm1',
      state: 'sent',
      response: { task: { id: 'c' } },
    } as OutboxItem;
    expect(refillState(m1, [item], requests).state).to.equal('sent');
    expect(arrived(item, [older, newer]), 'not its own Task').to.equal(false);
    expect(arrived(item, [task('c', 'm1', 'requested')])).to.equal(true);
    expect(arrived({ ...item, response: undefined }, [older]), 'an item sent before answers were kept').to.equal(true);
  });
});
