import { expect } from '@open-wc/testing';
import type { Communication } from 'fhir/r4';
import type { Vault } from '../../record/vault.js';
import type { RecordPage } from '../../session/record-page.js';
import { mountRecordPage, openTestRecord } from '../../session/mount-record-page.js';
import { demoClinic } from '../../../common/demo-clinic.js';
import { conversations, unreadReplies } from '../../record/conversations.js';
import { news } from '../../record/news.js';
import './messages-page.js';
import './conversation-page.js';
import './compose-page.js';

// A conversation in the shapes the server writes (server/messages/messages.ts), stored through the real vault.
const P = 'patient-1';
const DB = 'mcl-vault-messages-test';
const PDF = btoa('%PDF-1.4 pretend bytes');
const first: Communication = {
  resourceType: 'Communication',
  id: 't1',
  status: 'completed',
  subject: { reference: `Patient/${P}` },
  topic: { text: 'Blood pressure readings' },
  sent: '2026-11-20T09:00:00Z',
  sender: { reference: `Patient/${P}`, display: 'Margery' },
  recipient: [{ display: 'Primary care team' }],
  payload: [
    { contentString: 'Here are my readings.' },
    { contentAttachment: { contentType: 'application/pdf', url: 'Binary/b1', title: 'readings.pdf', size: 2048 } },
  ],
};
const reply: Communication = {
  resourceType: 'Communication',
  id: 'r1',
  status: 'completed',
  subject: { reference: `Patient/${P}` },
  topic: { text: 'Blood pressure readings' },
  inResponseTo: [{ reference: 'Communication/t1' }],
  sent: '2026-11-21T10:00:00Z',
  sender: { display: 'Dr Ana Lee' },
  recipient: [{ reference: `Patient/${P}` }],
  payload: [
    { contentString: 'They look fine. <b>Keep going</b>.' },
    { contentReference: { reference: 'DocumentReference/d9', display: 'Results letter' } },
  ],
};
const record = [
  { resourceType: 'Patient', id: P, name: [{ family: 'Gibson', given: ['Margery'] }] },
  first,
  {
    resourceType: 'Binary',
    id: 'b1',
    contentType: 'application/pdf',
    securityContext: { reference: `Patient/${P}` },
    data: PDF,
  },
  {
    resourceType: 'MedicationRequest',
    id: 'm1',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { text: 'Metformin 500 MG' },
    subject: { reference: `Patient/${P}` },
  },
  {
    resourceType: 'DocumentReference',
    id: 'd9',
    status: 'current',
    type: { text: 'Results letter' },
    date: '2026-11-21T10:00:00Z',
    author: [{ display: 'Dr Ana Lee' }],
    subject: { reference: `Patient/${P}` },
    content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/b9', title: 'letter.pdf', size: 20 } }],
  },
  {
    resourceType: 'Binary',
    id: 'b9',
    contentType: 'application/pdf',
    securityContext: { reference: `Patient/${P}` },
    data: PDF,
  },
];

const page = <T extends RecordPage>(tag: string) => mountRecordPage<T>(tag, P, { clinic: demoClinic });

describe('messages (real vault in IndexedDB)', () => {
  let vault: Vault;
  let close: () => Promise<void>;
  before(async () => {
    ({ vault, close } = await openTestRecord(
      DB,
      P,
      async (v) => {
        await v.put(P, record, [], undefined, true); // the first download: all seen
        await v.put(P, [
          reply,
          {
            resourceType: 'Task',
            id: 'k1',
            status: 'rejected',
            intent: 'order',
            focus: { reference: 'MedicationRequest/m1' },
            for: { reference: `Patient/${P}` },
            authoredOn: new Date().toISOString(),
            lastModified: new Date().toISOString(),
            statusReason: { text: 'Please book a review first.' },
          },
        ]);
      },
      '2026-11-21T12:00:00Z',
    ));
  });
  after(() => close());

  it("groups messages into conversations, counting the care team's unread replies", () => {
    const [c] = conversations([reply, first], new Set(['r1']));
    expect(c!.id).to.equal('t1');
    expect(c!.messages.map((m) => m.id)).to.deep.equal(['t1', 'r1']);
    expect(c!.team).to.equal('Primary care team');
    expect(c!.unread).to.equal(1);
    expect(c!.answered).to.equal(true);
    expect(
      conversations([reply, first], new Set(['t1']))[0]!.unread,
      "the patient's own messages are never unread",
    ).to.equal(0);
  });

  it('Home news: an unread reply and a refill decision with its reason', async () => {
    const n = await news(vault, P, 'America/Chicago');
    expect(n.unreadMessages).to.equal(1);
    expect(n.items.map((i) => i.text)).to.deep.equal([
      'New reply from Dr Ana Lee: Blood pressure readings',
      'Your request for Metformin 500 MG was denied: Please book a review first.',
    ]);
  });

  it('the list: conversations with unread marked, refused items kept with the reason; axe clean', async () => {
    await vault.putOutbox({
      id: 'o1',
      createdAt: new Date().toISOString(),
      state: 'refused',
      kind: 'message',
      subject: 'new',
      title: 'To Cardiology: Scan',
      action: 'message.send',
      body: { body: 'My scan is attached' },
      problem: '“scan.pdf” is named like a PDF, but its content is not a PDF.',
    });
    const el = await page('mcl-messages-page');
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('Blood pressure readings').and.contain('1 new').and.contain('answered by your care team');
    expect(text).to.contain('To Cardiology: Scan').and.contain('Not sent: “scan.pdf” is named like a PDF');
    expect(el.shadowRoot!.querySelector('[role=alert]')).to.exist;
    await expect(el).to.be.accessible();
    // Discarding is the person's choice; until then it stays.
    const discard = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.includes('Discard'))!;
    discard.click();
    for (let i = 0; i < 50 && (await vault.outboxItems()).length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await vault.outboxItems()).to.have.length(0);
  });

  it('a conversation: messages as text (no markup runs), files, the shared document, the urgent notice; opening marks replies read', async () => {
    history.replaceState(null, '', '/messages/conversation?id=t1');
    const el = await page('mcl-conversation-page');
    const root = el.shadowRoot!;
    expect(root.querySelectorAll('ul[aria-label=Messages] > li')).to.have.length(2);
    expect(root.querySelector('b')).to.equal(null);
    expect(root.textContent).to.contain('They look fine. <b>Keep going</b>.');
    expect(root.querySelector('button[aria-label="Download readings.pdf"]')).to.exist;
    expect(root.textContent).to.contain('Results letter');
    const notice = root.querySelector('[role=note]')!.textContent!;
    expect(notice).to.contain('not for emergencies').and.contain('911').and.contain('+1 507-555-0199');
    expect(root.querySelector<HTMLTextAreaElement>('textarea#reply')!.dataset.draft).to.equal('reply-t1');
    await expect(el).to.be.accessible();
    expect((await vault.unseen(P, 'Communication', ['r1'])).size).to.equal(0);
    expect((await news(vault, P, 'America/Chicago')).unreadMessages).to.equal(0);
    // The server is told too, through the outbox, up to the reply shown (the test server answers it 404, and a
    // refused read mark is let go: nothing the person wrote is lost).
    const posted = () =>
      performance
        .getEntriesByType('resource')
        .filter((e) => new URL(e.name).pathname === '/api/messages/threads/t1/read');
    for (let i = 0; i < 50 && !posted().length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(posted()).to.have.length(1);
    for (let i = 0; i < 50 && (await vault.outboxItems()).length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await vault.outboxItems()).to.have.length(0);
  });

  it('a reply read on another device (received, from the feed) is not unread here; one nobody opened is', async () => {
    const fresh = { ...reply, id: 'r9' };
    expect((await unreadReplies(vault, P, [first, fresh])).size).to.equal(1);
    expect((await unreadReplies(vault, P, [first, { ...fresh, received: '2026-11-21T11:00:00Z' }])).size).to.equal(0);
  });

  it('a reply goes into the outbox, sealed, and shows as on its way', async () => {
    history.replaceState(null, '', '/messages/conversation?id=t1');
    const el = await page('mcl-conversation-page');
    const root = el.shadowRoot!;
    root.querySelector<HTMLTextAreaElement>('#reply')!.value = 'Thank you, doctor.';
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    const sends = async () => (await vault.outboxItems()).filter((i) => i.action === 'message.send');
    let items = await sends();
    for (let i = 0; i < 50 && !items.length; i++) items = (await new Promise((r) => setTimeout(r, 20)), await sends());
    expect(items).to.have.length(1);
    expect(items[0]!.body).to.deep.include({ patientId: P, thread: 't1', body: 'Thank you, doctor.' });
    const stored = await vault.db.outbox.get(items[0]!.id);
    expect(new TextDecoder().decode(stored!.data)).not.to.contain('Thank you');
    await vault.deleteOutbox(items[0]!.id);
  });

  it('composing: recipients (offline: the clinic departments), subject, text kept as a draft, the urgent notice; axe clean', async () => {
    history.replaceState(null, '', '/messages/new');
    const el = await page('mcl-compose-page');
    const root = el.shadowRoot!;
    const options = [...root.querySelectorAll('#recipient option')].map((o) => o.textContent);
    expect(options).to.include('Primary care team').and.include('Cardiology');
    expect([...root.querySelectorAll('[data-draft]')].map((f) => (f as HTMLElement).dataset.draft)).to.deep.equal([
      'recipient',
      'subject',
      'body',
    ]);
    expect(root.querySelector('[role=note]')!.textContent).to.contain('Messages are not for emergencies');
    expect(root.textContent, 'a form to fill in is not a record view: no Print').not.to.contain('Print this page');
    await expect(el).to.be.accessible();
  });
});
