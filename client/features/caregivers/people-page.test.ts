import { expect } from '@open-wc/testing';
import type { PeoplePage } from './people-page.js';
import './people-page.js';
import type { AddCaregiverPage } from './add-caregiver-page.js';
import './add-caregiver-page.js';
import { fakeApi, fakeSession, mountPage, sendInvite, settle, until } from './test-api.js';

const person = {
  grantId: 'g-1',
  patientId: 'pat-ada',
  name: 'Ada Lovelace',
  kind: 'caregiver',
  scopes: ['records', 'appointments'],
  narrowedByAge: false,
  endsOn: '2030-06-30',
  endsAt: '2030-07-01T05:00:00.000Z',
  since: '2026-11-28T11:00:00.000Z',
};
const buttons = (root: ShadowRoot, name: RegExp) =>
  [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => name.test(b.textContent ?? ''))!;

describe('People you help', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api.restore());

  it('lists whom the account helps and what it may do; Stop helping asks first, then leaves', async () => {
    api = fakeApi({
      'GET /api/caregiver/people': (_b, n) => ({ body: { people: n === 1 ? [person] : [] } }),
      'DELETE /api/caregiver/people/g-1': { body: { message: 'You no longer have access for Ada Lovelace.' } },
    });
    const el = await mountPage<PeoplePage>('mcl-people-page', fakeSession(null));
    const root = el.shadowRoot!;
    const text = root.textContent!.replace(/\s+/g, ' ');
    expect(text).to.include('Ada Lovelace invited you to help.');
    expect(text).to.include('Read their health record').and.include('See and book appointments');
    expect(text).to.match(/Until the end of .*2030/);
    await expect(el).to.be.accessible();

    buttons(root, /Stop helping Ada Lovelace/).click();
    const ask = root.querySelector('mcl-confirm-dialog')!;
    await until(() => ask.shadowRoot!.querySelector('dialog')!.open, 'the question');
    // "No" leaves everything as it was.
    buttons(ask.shadowRoot!, /No, keep it/).click();
    await new Promise((r) => setTimeout(r, 50));
    expect(api.calls.filter((c) => c.startsWith('DELETE'))).to.have.length(0);

    buttons(root, /Stop helping Ada Lovelace/).click();
    await until(() => ask.shadowRoot!.querySelector('dialog')!.open, 'the question');
    buttons(ask.shadowRoot!, /^Stop helping Ada Lovelace$/).click();
    await until(() => root.querySelector('.success'));
    expect(root.querySelector('.success')!.textContent).to.equal('You no longer have access for Ada Lovelace.');
    await settle(el);
    expect(root.textContent).to.include('You do not help anyone');
    await expect(el).to.be.accessible();
  });

  it('shows a refusal in the server’s words', async () => {
    api = fakeApi({
      'GET /api/caregiver/people': { body: { people: [person] } },
      'DELETE /api/caregiver/people/g-1': {
        status: 404,
        body: { error: 'not_found', message: 'You do not have access for this person.' },
      },
    });
    const el = await mountPage<PeoplePage>('mcl-people-page', fakeSession(null));
    const root = el.shadowRoot!;
    buttons(root, /Stop helping/).click();
    const ask = root.querySelector('mcl-confirm-dialog')!;
    await until(() => ask.shadowRoot!.querySelector('dialog')!.open, 'the question');
    buttons(ask.shadowRoot!, /^Stop helping Ada Lovelace$/).click();
    await until(() => root.querySelector('[role=alert]'));
    expect(root.querySelector('[role=alert]')!.textContent).to.equal('You do not have access for this person.');
    expect(root.activeElement).to.equal(root.querySelector('[role=alert]'));
  });
});

describe('Add a caregiver (the optional set-up step)', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api.restore());

  it('"Skip this step" goes on to Home', async () => {
    api = fakeApi({});
    const el = await mountPage<AddCaregiverPage>('mcl-add-caregiver-page');
    const went: string[] = [];
    el.addEventListener('mcl-navigate', (e) => went.push((e as CustomEvent<{ path: string }>).detail.path));
    await expect(el).to.be.accessible();
    buttons(el.shadowRoot!, /Skip this step/).click();
    expect(went).to.deep.equal(['/']);
    expect(api.calls).to.have.length(0);
  });

  it('sends an invitation, asking who it is first when the sign-in is old', async () => {
    api = fakeApi({
      'POST /api/sharing': (_b, n) =>
        n === 1
          ? {
              status: 403,
              body: {
                error: 'reauth_required',
                message: 'For your safety, please confirm it is you before making this change.',
              },
            }
          : { status: 201, body: { caregiver: {}, message: 'We sent an invitation to sam@example.com.' } },
      'POST /api/session/reauth': { body: { account: { id: 'acct-1' } } },
    });
    const el = await mountPage<AddCaregiverPage>('mcl-add-caregiver-page');
    const form = el.shadowRoot!.querySelector('mcl-invite-form')!;
    const f = await sendInvite(form, ['appointments']);
    const reauth = f.querySelector('mcl-reauth-dialog')!;
    await until(() => reauth.shadowRoot!.querySelector('dialog')?.open, 'the step-up dialog');
    await expect(reauth).to.be.accessible();
    reauth.shadowRoot!.querySelector<HTMLInputElement>('#reauth-password')!.value = 'correct horse battery staple';
    buttons(reauth.shadowRoot!, /^Confirm$/).click();
    await until(() => el.shadowRoot!.querySelector('.success'));
    expect(el.shadowRoot!.querySelector('.success')!.textContent).to.equal('We sent an invitation to sam@example.com.');
    expect(api.calls.filter((c) => c.startsWith('POST /api/sharing'))).to.have.length(2);
    await expect(el).to.be.accessible();
  });

  it('a cancelled confirmation sends nothing and says so', async () => {
    api = fakeApi({
      'POST /api/sharing': {
        status: 403,
        body: {
          error: 'reauth_required',
          message: 'For your safety, please confirm it is you before making this change.',
        },
      },
    });
    const el = await mountPage<AddCaregiverPage>('mcl-add-caregiver-page');
    const form = el.shadowRoot!.querySelector('mcl-invite-form')!;
    const f = await sendInvite(form, ['records']);
    const reauth = f.querySelector('mcl-reauth-dialog')!;
    await until(() => reauth.shadowRoot!.querySelector('dialog')?.open, 'the step-up dialog');
    buttons(reauth.shadowRoot!, /^Cancel$/).click();
    await until(() => f.querySelector('[role=alert]'));
    expect(f.querySelector('[role=alert]')!.textContent).to.equal(
      'Nothing was sent: we need you to confirm it is you first.',
    );
  });
});
