import { expect } from '@open-wc/testing';
import { CURRENT_CAREGIVER_CONSENT } from '../../../common/caregiver-consent.js';
import { RETURN_KEY, type SessionController } from '../../session/session-controller.js';
import { INVITE_TOKEN_KEY, type CaregiverInvitePage } from './caregiver-invite-page.js';
import './caregiver-invite-page.js';
import { fakeApi, fakeSession, mountPage, until } from './test-api.js';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz012345';
const preview = {
  patientName: 'Ada Lovelace',
  invitedName: 'Sam Lee',
  invitedEmail: 'sam@example.com',
  kind: 'caregiver',
  scopes: ['records', 'refills'],
  endsOn: null,
  expiresAt: '2026-12-10T10:00:00.000Z',
};
const mount = (session: SessionController | null) =>
  mountPage<CaregiverInvitePage>('mcl-caregiver-invite-page', session);
const root = (el: CaregiverInvitePage) => el.shadowRoot!;
const button = (el: CaregiverInvitePage, name: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => name.test(b.textContent ?? ''))!;

describe('the invitation link page', () => {
  let api: ReturnType<typeof fakeApi>;
  beforeEach(() => history.replaceState(null, '', `/caregiver-invite#token=${TOKEN}`));
  afterEach(() => {
    api?.restore();
    sessionStorage.removeItem(INVITE_TOKEN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    history.replaceState(null, '', '/');
  });

  it('previews who invites, what they may do and the consent; makes an own account from the link', async () => {
    const sent: unknown[] = [];
    api = fakeApi({
      'POST /api/caregiver/invitation': { body: preview },
      'POST /api/caregiver/invitation/sign-up': (body) => {
        sent.push(body);
        return {
          status: 201,
          body: {
            status: 'account-ready',
            username: 'samlee',
            message:
              'Your account is ready, and you can read your health record and request refills for Ada Lovelace. Sign in now; you will then be asked to protect your account with a second step.',
          },
        };
      },
    });
    const el = await mount(null);
    const text = root(el).textContent!.replace(/\s+/g, ' ');
    expect(text).to.include('An invitation to help Ada Lovelace');
    expect(text).to.include('Read their health record').and.include('Request refills');
    expect(text).not.to.include('Read and write messages');
    const consent = root(el).querySelector('mcl-consent-text')!;
    await consent.updateComplete;
    expect(consent.shadowRoot!.textContent).to.include(CURRENT_CAREGIVER_CONSENT.always[0]!);
    expect(root(el).querySelector<HTMLInputElement>('#new-name')!.value).to.equal('Sam Lee');
    expect(text).to.include('sam@example.com');
    await expect(el).to.be.accessible();

    button(el, /Make my account and accept/).click();
    await el.updateComplete;
    expect(root(el).querySelector('#new-username-error')!.textContent).to.match(/Username: at least 3/);
    expect(sent).to.have.length(0);

    root(el).querySelector<HTMLInputElement>('#new-username')!.value = 'samlee';
    const password = root(el).querySelector('mcl-password-field')!;
    const input = password.shadowRoot!.querySelector<HTMLInputElement>('#password')!;
    input.value = 'a long walk by the quiet river';
    input.dispatchEvent(new Event('input'));
    button(el, /Make my account and accept/).click();
    await until(() => root(el).querySelector('.success'));
    expect(sent).to.deep.equal([
      { token: TOKEN, name: 'Sam Lee', username: 'samlee', password: 'a long walk by the quiet river' },
    ]);
    expect(root(el).querySelector('.success')!.textContent).to.include('Your account is ready');
    expect(root(el).querySelector('a[href="/sign-in"]')!.textContent).to.equal('Sign in now');
    expect(location.hash, 'the spent token is out of the address').to.equal('');
    await expect(el).to.be.accessible();
  });

  it('accepts into the account signed in', async () => {
    api = fakeApi({
      'POST /api/caregiver/invitation': { body: preview },
      'POST /api/caregiver/invitation/accept': {
        body: {
          person: null,
          invitedEmail: 'sam@example.com',
          message: 'You can now read your health record and request refills for Ada Lovelace.',
        },
      },
    });
    const el = await mount(fakeSession(null));
    expect(root(el).textContent).to.include('You are signed in as');
    expect(root(el).querySelector('form'), 'no sign-up form when signed in').to.equal(null);
    button(el, /Accept with this account/).click();
    await until(() => root(el).querySelector('.success'));
    expect(api.calls).to.include(`POST /api/caregiver/invitation/accept {"token":"${TOKEN}"}`);
    expect(root(el).querySelector('.success')!.textContent).to.include('for Ada Lovelace');
    await expect(el).to.be.accessible();
  });

  it('keeps the link while the person signs in to accept with an account they have', async () => {
    api = fakeApi({ 'POST /api/caregiver/invitation': { body: preview } });
    const el = await mount(null);
    const went: string[] = [];
    el.addEventListener('mcl-navigate', (e) => went.push((e as CustomEvent<{ path: string }>).detail.path));
    button(el, /Sign in to accept/).click();
    expect(went).to.deep.equal(['/sign-in']);
    expect(sessionStorage.getItem(INVITE_TOKEN_KEY)).to.equal(TOKEN);
    expect(sessionStorage.getItem(RETURN_KEY)).to.equal('/caregiver-invite');
    // Back from signing in, with no token in the address: the kept one is used.
    history.replaceState(null, '', '/caregiver-invite');
    const again = await mount(fakeSession(null));
    expect(root(again).textContent).to.include('Accept with this account');
  });

  it('says plainly when the link cannot be used', async () => {
    api = fakeApi({
      'POST /api/caregiver/invitation': {
        status: 410,
        body: { error: 'invitation_withdrawn', message: 'This invitation was withdrawn by the person who sent it.' },
      },
    });
    const el = await mount(null);
    expect(root(el).querySelector('[role=alert]')!.textContent).to.equal(
      'This invitation was withdrawn by the person who sent it.',
    );
    expect(root(el).querySelector('form')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('without a link, takes the activation code typed from the care team’s letter', async () => {
    history.replaceState(null, '', '/caregiver-invite');
    const asked: unknown[] = [];
    api = fakeApi({
      'POST /api/caregiver/invitation': (body) => (
        asked.push(body),
        {
          body: {
            ...preview,
            kind: 'guardian',
            attestation: { version: 'guardian-1', text: 'I am the parent or legal guardian of this child.' },
          },
        }
      ),
    });
    const el = await mount(null);
    expect(root(el).textContent!.replace(/\s+/g, ' ')).to.include('open it from the email again');
    expect(api.calls).to.have.length(0);
    await expect(el).to.be.accessible();
    const code = root(el).querySelector<HTMLInputElement>('#code')!;
    code.value = 'gt0s-w3pk';
    button(el, /Open the invitation/).click();
    await el.updateComplete;
    expect(root(el).querySelector('#code-error')!.textContent).to.include('16 letters and digits');
    expect(code.getAttribute('aria-invalid')).to.equal('true');
    expect(api.calls).to.have.length(0);
    root(el).querySelector<HTMLInputElement>('#code')!.value = 'gt0s w3pk-c839-5ad3';
    button(el, /Open the invitation/).click();
    await until(() => asked.length === 1);
    expect(asked[0]).to.deep.equal({ token: 'GT0SW3PKC8395AD3' });
    await until(() => (root(el).textContent ?? '').includes('An invitation to help Ada Lovelace'));
    // A guardian confirms their own authority; the patient's consent text is not theirs to show.
    const text = root(el).textContent!.replace(/\s+/g, ' ');
    expect(text).to.include('The care team set up Sam Lee');
    expect(text).to.include('What you confirm by accepting I am the parent or legal guardian of this child.');
    expect(root(el).querySelector('mcl-consent-text')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
