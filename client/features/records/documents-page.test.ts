import { expect } from '@open-wc/testing';
import type { RecordPage } from '../../session/record-page.js';
import { mountRecordPage, openTestRecord } from '../../session/mount-record-page.js';
import './documents-page.js';

// A document the care team shared in a message, as the server stores it (server/messages/messages.ts): a
// DocumentReference whose file is a Binary of the record (the record of messages/messages.test.ts has the same).
const P = 'patient-1';
const DB = 'mcl-vault-documents-test';
const PDF = btoa('%PDF-1.4 pretend bytes');
const record = [
  { resourceType: 'Patient', id: P, name: [{ family: 'Gibson', given: ['Margery'] }] },
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

describe('documents shared in messages (real vault in IndexedDB)', () => {
  let close: () => Promise<void>;
  before(async () => {
    ({ close } = await openTestRecord(DB, P, (v) => v.put(P, record, [], undefined, true), '2026-11-21T12:00:00Z'));
  });
  after(() => close());

  it('documents: a document shared in a message is listed and downloadable from the local record', async () => {
    const el = await mountRecordPage<RecordPage>('mcl-documents-page', P);
    expect(el.shadowRoot!.textContent).to.contain('Results letter').and.contain('From Dr Ana Lee');
    expect(el.shadowRoot!.querySelector('button[aria-label^="Download Results letter"]')).to.exist;
  });
});
