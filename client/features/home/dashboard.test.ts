import { expect, fixture, html } from '@open-wc/testing';
import type { Communication } from 'fhir/r4';
import { openTestRecord } from '../../session/mount-record-page.js';
import { testConversation } from '../../session/test-conversation.js';
import type { SignedInAccount } from '../../session/session-controller.js';
import type { Vault } from '../../record/vault.js';
import type { Dashboard } from './dashboard.js';
import './dashboard.js';

const P = 'patient-home';
const DB = 'mcl-vault-dashboard-test';
const { at, message, synced: store } = testConversation(P);
const account = { id: 'acct', kind: 'patient', patientId: P } as SignedInAccount;
async function until(ok: () => boolean, ms = 3000) {
  for (let t = 0; t < ms && !ok(); t += 20) await new Promise((r) => setTimeout(r, 20));
}

describe('Home (mcl-dashboard): replies from the care team, live from the local record', () => {
  let vault: Vault;
  let close: () => Promise<void>;
  const synced = (resources: Communication[]) => store(vault, resources);
  beforeEach(async () => {
    ({ vault, close } = await openTestRecord(DB, P, (v) =>
      v.put(P, [message('t1', 0, 'patient')] as never[], [], undefined, true),
    ));
  });
  afterEach(() => close());

  it("Home's Messages line counts unread replies and New for you lists the reply; axe clean", async () => {
    const el = await fixture<Dashboard>(html`<mcl-dashboard .account=${account}></mcl-dashboard>`);
    const text = () => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    await until(() => text().includes('Messages:'));
    expect(text()).to.contain('Messages: nothing unread');
    await synced([message('r1', 10, 'team'), message('r2', 20, 'team')]);
    await until(() => text().includes('2 unread replies'));
    expect(text()).to.contain('Messages: 2 unread replies');
    expect(text()).to.contain('New reply from Dr Ana Lee: Knee');
    await expect(el).to.be.accessible();
    await synced([message('r1', 10, 'team', { received: at(30) })]);
    await until(() => text().includes('1 unread reply'));
    expect(text()).to.contain('Messages: 1 unread reply');
    await synced([message('r2', 20, 'team', { received: at(30) })]);
    await until(() => text().includes('nothing unread'));
    expect(text()).to.contain('Messages: nothing unread');
    expect(text()).not.to.contain('New reply from');
  });
});
