import { expect } from '@open-wc/testing';
import { SHARED_KEY } from '../../session/session-controller.js';
import { mountRecordPage, openTestRecord } from '../../session/mount-record-page.js';
import type { RecordsPage } from './records-page.js';
import './records-page.js';

// What the overview says about the copy of the record on this device follows the choice made at sign-in ([2/11]).
const P = 'patient-1';
const DB = 'mcl-vault-records-page-test';
const words = (el: HTMLElement) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');

describe('mcl-records-page: what it says is kept on this device', () => {
  let record: Awaited<ReturnType<typeof openTestRecord>>;
  beforeEach(async () => {
    record = await openTestRecord(DB, P, async (vault) => {
      await vault.put(P, [{ resourceType: 'Patient', id: P }]);
    });
  });
  afterEach(async () => {
    sessionStorage.removeItem(SHARED_KEY);
    await record.close();
  });

  it('on a personal device: the record is kept here, encrypted, and can be removed; axe clean', async () => {
    const el = await mountRecordPage<RecordsPage>('mcl-records-page', P);
    expect(words(el)).to.contain('Your record is kept on this device, encrypted');
    expect([...el.shadowRoot!.querySelectorAll('button')].at(-1)!.textContent).to.equal(
      'Sign out and remove my data from this device',
    );
    await expect(el).to.be.accessible();
  });

  it('with "this is a shared computer" chosen: never says the record is kept here; axe clean', async () => {
    sessionStorage.setItem(SHARED_KEY, '1');
    const el = await mountRecordPage<RecordsPage>('mcl-records-page', P);
    const text = words(el);
    expect(text).not.to.match(/kept on this (device|computer)|opens without a connection/i);
    expect(text).to.contain('nothing about you is kept on it after you sign out');
    await expect(el).to.be.accessible();
  });
});
