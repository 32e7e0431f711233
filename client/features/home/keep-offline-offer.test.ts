import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { openTestRecord } from '../../session/mount-record-page.js';
import { SHARED_KEY, type SessionController } from '../../session/session-controller.js';
import { saveOfflineUnlock } from '../../record/offline-unlock.js';
import { openVault, wipeVault } from '../../record/open-vault.js';
import { RecordSession, useRecordSession } from '../../record/record-session.js';
import { offerAnswer } from '../../record/unlock-ways.js';
import { VAULT_DB } from '../../record/vault-name.js';
import { deviceWord } from '../../ui/device-word.js';
import type { KeepOfflineOffer } from './keep-offline-offer.js';
import './keep-offline-offer.js';

// Home's one-time offer ([2/11]), over a real vault in IndexedDB: the one this device keeps (VAULT_DB), whose ways
// of opening without a connection the offer looks at. The element test server has no portal: no PRF passkey here.
const P = 'patient-1';
const session = (id = 'acct') =>
  ({
    account: { id, kind: 'patient', username: 'm', displayName: 'M', email: '', role: null, patientId: P },
    info: { idleSeconds: 900 },
    unlockedOffline: false,
  }) as unknown as SessionController;
const mount = async (s = session()) => {
  const el = await fixture<KeepOfflineOffer>(html`<mcl-keep-offline-offer .session=${s}></mcl-keep-offline-offer>`);
  // The record opens and is read; what the offer decides shows within this time (the first test proves it does).
  for (let i = 0; i < 50 && !el.shadowRoot!.querySelector('section'); i++) await new Promise((r) => setTimeout(r, 20));
  return el;
};
const heading = (el: KeepOfflineOffer) => el.shadowRoot!.querySelector('h2')?.textContent;

describe('mcl-keep-offline-offer', () => {
  let record: { close(): Promise<void> } | undefined;
  const synced = async () =>
    (record = await openTestRecord(VAULT_DB, P, (v) => v.put(P, [{ resourceType: 'Patient', id: P }])));
  afterEach(async () => {
    sessionStorage.removeItem(SHARED_KEY);
    await record?.close();
    record = undefined;
  });

  it('once the record has been brought up to date, on a personal device: asks plainly, PIN way and "Not now"; axe clean', async () => {
    await synced();
    const el = await mount();
    expect(heading(el)).to.equal(`Keep your record on this ${deviceWord()} for when you have no connection`);
    const section = el.shadowRoot!.querySelector('section')!;
    const form = section.querySelector('mcl-keep-offline-form')!;
    const notNow = [...section.querySelectorAll('button')].find((b) => b.textContent === 'Not now')!;
    expect(notNow, '"Not now"').to.exist;
    // The ways to keep it come first, "Not now" after them.
    expect(form.compareDocumentPosition(notNow) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    expect(form.shadowRoot!.querySelector('label[for=pin]')!.textContent).to.equal('New PIN for this device');
    expect(section.querySelector('a[href="/help"]')!.textContent).to.equal('What this protects, and what it does not');
    await expect(el).to.be.accessible();
  });

  it('by keyboard: Tab reaches the help link, the PIN fields, their button and "Not now"; Enter on it answers, and it is not offered again', async () => {
    await synced();
    const el = await mount();
    const form = el.shadowRoot!.querySelector('mcl-keep-offline-form')!;
    const focused = () => {
      const inner = form.shadowRoot!.activeElement ?? el.shadowRoot!.activeElement;
      return inner?.id || inner?.textContent?.trim();
    };
    el.shadowRoot!.querySelector<HTMLElement>('a[href="/help"]')!.focus();
    const order = [focused()];
    for (let i = 0; i < 4; i++) {
      await sendKeys({ press: 'Tab' });
      order.push(focused());
    }
    expect(order).to.deep.equal([
      'What this protects, and what it does not',
      'pin',
      'pin2',
      'Keep my record with this PIN',
      'Not now',
    ]);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await el.updateComplete;
    const said = el.shadowRoot!.querySelector('[role=status]')!;
    expect(said.textContent).to.equal('You can do this later in Account, under “This device”.');
    expect(el.shadowRoot!.activeElement).to.equal(said);
    expect(el.shadowRoot!.querySelector('section')).to.equal(null);
    await expect(el).to.be.accessible();
    // Remembered on this device for this account only.
    expect(offerAnswer('acct')).to.equal('not-now');
    expect(offerAnswer('someone-else')).to.equal(undefined);
    const again = await mount();
    expect(again.shadowRoot!.querySelector('section')).to.equal(null);
    // Deleting the record (here as "sign out and remove my data" does) forgets the answer with it.
    await record!.close();
    record = undefined;
    expect(offerAnswer('acct')).to.equal(undefined);
  });

  it('is never offered on a computer marked as shared', async () => {
    sessionStorage.setItem(SHARED_KEY, '1');
    await synced();
    const el = await mount();
    expect(el.shadowRoot!.querySelector('section')).to.equal(null);
    expect(el.shadowRoot!.textContent).to.equal('');
  });

  it('is not offered when the record already opens here without a connection', async () => {
    await synced();
    const secret = { kek: 'a2V5', account: session().account, idleSeconds: 900 };
    await saveOfflineUnlock(secret, '428613', VAULT_DB, 1000);
    const el = await mount();
    expect(el.shadowRoot!.querySelector('section')).to.equal(null);
  });

  it('is not offered before the record has been brought up to date once', async () => {
    const vault = await openVault('acct', new Uint8Array(32).fill(7), VAULT_DB);
    const rs = new RecordSession('acct', P, async () => vault);
    useRecordSession(rs);
    await rs.open();
    record = {
      close: async () => {
        rs.close();
        await wipeVault(VAULT_DB);
      },
    };
    expect(rs.lastSyncAt).to.equal(undefined);
    const el = await mount();
    expect(el.shadowRoot!.querySelector('section')).to.equal(null);
  });
});
