import { expect, fixture, html } from '@open-wc/testing';
import { customElement } from 'lit/decorators.js';
import './viewing-as.js';
import type { ViewingAs } from './viewing-as.js';
import type { SignedInAccount } from './session-controller.js';
import { RecordPage } from './record-page.js';
import {
  accessEnded,
  forgetPeople,
  loadPeople,
  viewedPatient,
  VIEWING_CHANGE,
  type Person,
} from '../record/viewing.js';
import { personVaultName } from '../record/vault-name.js';
import { openVault } from '../record/open-vault.js';

const account = (patientId: string | null): SignedInAccount => ({
  id: 'acct-viewing',
  kind: 'patient',
  username: 'sam@example.org',
  displayName: 'Sam',
  email: 'sam@example.org',
  role: null,
  patientId,
});
const SELF: Person = {
  id: 'pat-sam',
  name: 'Sam Carter',
  self: true,
  as: 'self',
  scopes: ['records', 'appointments', 'messages', 'refills'],
};
const MUM: Person = {
  id: 'pat-mum',
  name: 'Rose Carter',
  self: false,
  as: 'caregiver',
  scopes: ['records'],
  grantId: 'g1',
};
const KID: Person = {
  id: 'pat-kid',
  name: 'Maya Alvarez',
  self: false,
  as: 'guardian',
  scopes: ['appointments'],
  grantId: 'g2',
};

/**
 * The server as these tests need it: the people list as given, and every other request answered "unavailable"
 * (not "not found", which would mean that an access has ended). Restored after each test.
 */
const realFetch = window.fetch;
async function serve(people: Person[]) {
  window.fetch = async (input) =>
    String(input).includes('/api/records/patients')
      ? new Response(JSON.stringify({ patients: people }), { headers: { 'Content-Type': 'application/json' } })
      : new Response(JSON.stringify({ error: 'unavailable', message: 'Not in this test.' }), { status: 503 });
  forgetPeople();
  await loadPeople('acct-viewing');
}

@customElement('mcl-messages-like-test-page')
class MessagesLikePage extends RecordPage {
  protected override readonly scope = 'messages' as const;
  protected readonly heading = 'Messages';
  protected async load() {}
  protected renderBody() {
    return html`<p>the conversations</p>`;
  }
}

const text = (el: Element) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');

describe('viewing as: whose record the pages show ([3/11])', () => {
  afterEach(() => {
    window.fetch = realFetch;
    sessionStorage.removeItem('mcl-viewing:acct-viewing');
    forgetPeople();
  });

  it('shows nothing for an account that sees only its own record', async () => {
    await serve([SELF]);
    const el = await fixture<ViewingAs>(html`<mcl-viewing-as .account=${account('pat-sam')}></mcl-viewing-as>`);
    expect(el.shadowRoot!.querySelector('.bar')).to.equal(null);
  });

  it('says whose record it is, and switching person announces it and is kept for this tab', async () => {
    await serve([SELF, MUM, KID]);
    const el = await fixture<ViewingAs>(html`<mcl-viewing-as .account=${account('pat-sam')}></mcl-viewing-as>`);
    expect(text(el)).to.contain('Viewing as: Sam Carter (you)');
    await expect(el).to.be.accessible();
    let announced = 0;
    const count = () => announced++;
    addEventListener(VIEWING_CHANGE, count);
    const select = el.shadowRoot!.querySelector('select')!;
    select.value = 'pat-mum';
    select.dispatchEvent(new Event('change'));
    removeEventListener(VIEWING_CHANGE, count);
    await el.updateComplete;
    expect(announced).to.equal(1);
    expect(viewedPatient(account('pat-sam'))).to.equal('pat-mum');
    expect(text(el)).to.contain('Viewing as: Rose Carter');
    expect(text(el)).to.contain('you help them as a caregiver');
  });

  it('a person no longer among the people is not viewed any more (the own record instead)', async () => {
    await serve([SELF, MUM]);
    sessionStorage.setItem('mcl-viewing:acct-viewing', 'pat-mum');
    expect(viewedPatient(account('pat-sam'))).to.equal('pat-mum');
    await serve([SELF]);
    expect(viewedPatient(account('pat-sam'))).to.equal('pat-sam');
  });

  it('a caregiver without a record of their own views the first person they help', async () => {
    await serve([KID, MUM]);
    expect(viewedPatient(account(null))).to.equal('pat-kid');
  });

  it('a page the person has not allowed says which permission is missing and who can add it', async () => {
    await serve([SELF, MUM]);
    sessionStorage.setItem('mcl-viewing:acct-viewing', 'pat-mum');
    const page = document.createElement('mcl-messages-like-test-page') as MessagesLikePage;
    page.session = { account: account('pat-sam') } as never;
    const el = await fixture(html`<div>${page}</div>`);
    await page.updateComplete;
    expect(text(page)).to.contain('Rose Carter has not shared their messages with the care team with you');
    expect(text(page)).to.contain('Account → Sharing');
    expect(text(page)).to.contain('Read and write messages');
    expect(text(page)).not.to.contain('the conversations');
    await expect(el.firstElementChild!).to.be.accessible();
  });

  it('for a guardian, says that the care team sets it', async () => {
    await serve([KID]);
    const page = document.createElement('mcl-messages-like-test-page') as MessagesLikePage;
    page.session = { account: account(null) } as never;
    await fixture(html`<div>${page}</div>`);
    await page.updateComplete;
    expect(text(page)).to.contain('As Maya Alvarez’s guardian');
    expect(text(page)).to.contain('contact the care team');
  });

  it('ended access deletes that person’s local record from this device, and only theirs', async () => {
    await serve([SELF, MUM, KID]);
    for (const id of ['pat-mum', 'pat-kid'])
      (await openVault('acct-viewing', new Uint8Array(32).fill(3), personVaultName(id))).db.close();
    const names = async () => (await indexedDB.databases()).map((d) => d.name);
    expect(await names()).to.include.members([personVaultName('pat-mum'), personVaultName('pat-kid')]);
    sessionStorage.setItem('mcl-viewing:acct-viewing', 'pat-mum');
    const bar = await fixture<ViewingAs>(html`<mcl-viewing-as .account=${account('pat-sam')}></mcl-viewing-as>`);
    await accessEnded('acct-viewing', 'pat-mum');
    await bar.updateComplete;
    expect(bar.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.match(
      /Your access to Rose Carter’s record has ended, and the copy of it on this\s+device has been deleted/,
    );
    expect(await names()).not.to.include(personVaultName('pat-mum'));
    expect(await names()).to.include(personVaultName('pat-kid'));
    expect(viewedPatient(account('pat-sam'))).to.equal('pat-sam');
    // The next list of people without Maya removes her copy too (the next sign-in or page load).
    await serve([SELF]);
    await new Promise((r) => setTimeout(r, 50));
    expect(await names()).not.to.include(personVaultName('pat-kid'));
  });
});
