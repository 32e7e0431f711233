import { expect } from '@open-wc/testing';
import { demoClinic } from '../../../common/demo-clinic.js';
import { CURRENT_CAREGIVER_CONSENT } from '../../../common/caregiver-consent.js';
import type { SharingPage } from './sharing-page.js';
import './sharing-page.js';
import { entry, fakeApi, fakeSession, mountPage, sendInvite, settle, until } from './test-api.js';

const list = (...caregivers: ReturnType<typeof entry>[]) => ({
  body: { consentVersion: CURRENT_CAREGIVER_CONSENT.version, caregivers },
});
const reauthRequired = {
  status: 403,
  body: { error: 'reauth_required', message: 'For your safety, please confirm it is you before making this change.' },
};
const sessionInfo = { account: { id: 'acct-1' }, freshUntil: new Date(Date.now() + 300_000).toISOString() };

async function mount() {
  return mountPage<SharingPage>('mcl-sharing-page', fakeSession(), { clinic: demoClinic });
}
const root = (el: SharingPage) => el.shadowRoot!;
const button = (el: SharingPage, name: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => name.test(b.getAttribute('aria-label') ?? '') || name.test(b.textContent ?? ''),
  )!;
/** The buttons inside an element's own shadow root (the dialogs, the forms). */
const inner = (host: Element, name: RegExp) =>
  [...host.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => name.test(b.textContent ?? ''))!;

describe('Account → Sharing', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api.restore());

  it('lists each caregiver plainly: kind, state, each permission in words, last day, consent; a guardian with whom to call', async () => {
    api = fakeApi({
      'GET /api/sharing': list(
        entry(),
        entry({
          id: 'g-2',
          name: 'Pat Doe',
          email: 'pat@example.com',
          state: 'invited',
          acceptedBy: null,
          acceptedAt: null,
          endsOn: null,
          inviteExpiresAt: '2026-12-05T10:00:00.000Z',
          scopes: ['appointments'],
          consent: { version: '0', acceptedAt: '2026-11-20T10:00:00.000Z', scopes: ['appointments'], current: false },
        }),
        entry({ id: 'g-3', kind: 'guardian', name: 'Rosa Alvarez', changeable: false, consent: null }),
        entry({ id: 'g-4', name: 'Old Friend', state: 'revoked', changeable: false }),
      ),
    });
    const el = await mount();
    const cards = [...root(el).querySelectorAll('ul.people > li')].map((li) => li.textContent!.replace(/\s+/g, ' '));
    expect(cards).to.have.length(4);
    expect(cards[0]).to.include('Sam Lee').and.include('sam@example.com').and.include('Caregiver you invited');
    expect(cards[0]).to.include('Active').and.include('Read your health record').and.include('Read and write messages');
    expect(cards[0])
      .to.match(/Last day.*2030/)
      .and.include('You accepted consent text version 1');
    expect(cards[1]).to.include('Invited').and.include('No end date').and.include('The consent text has changed');
    expect(cards[2]).to.include('Parent or guardian, set up by the care team');
    expect(cards[2]).to.include(`call us on ${demoClinic.support.phone}`);
    expect(root(el).querySelector('ul.people > li:nth-child(3) a[href^="tel:"]')).to.exist;
    expect(root(el).querySelectorAll('ul.people > li:nth-child(3) button')).to.have.length(0);
    expect(cards[3]).to.include('Ended').and.include('You ended it.');
    expect(root(el).querySelectorAll('ul.people > li:nth-child(4) button')).to.have.length(0);
    expect(button(el, /Withdraw the invitation to Pat Doe/)).to.exist;
    await expect(el).to.be.accessible();
  });

  it('invites someone: the consent text in full, and nothing sent until the form is complete', async () => {
    const sent: unknown[] = [];
    api = fakeApi({
      'GET /api/sharing': (_b, n) => (n === 1 ? list() : list(entry({ state: 'invited', acceptedBy: null }))),
      'POST /api/sharing': (body) => {
        sent.push(body);
        return {
          status: 201,
          body: {
            caregiver: entry(),
            message: 'We sent an invitation to sam@example.com. The link in it works once, for 7 days.',
          },
        };
      },
    });
    const el = await mount();
    expect(root(el).textContent).to.include('You do not share your portal with anyone.');
    button(el, /^Invite someone$/).click();
    await el.updateComplete;
    const form = root(el).querySelector('mcl-invite-form')!;
    await form.updateComplete;
    const f = form.shadowRoot!;
    const consent = f.querySelector('mcl-consent-text')!;
    await consent.updateComplete;
    for (const line of [CURRENT_CAREGIVER_CONSENT.intro, ...CURRENT_CAREGIVER_CONSENT.always])
      expect(consent.shadowRoot!.textContent).to.include(line);
    expect(root(el).activeElement?.id).to.equal('invite-title');
    await expect(el).to.be.accessible();

    inner(form, /Send the invitation/).click();
    await form.updateComplete;
    expect(f.querySelector('[role=alert]')!.textContent).to.include('Nothing was sent yet');
    expect(f.querySelector('#invite-name-error')!.textContent).to.equal('Enter their name.');
    expect(f.querySelector('#invite-agree-error')).to.exist;
    expect(sent).to.have.length(0);

    f.querySelector<HTMLInputElement>('#invite-name')!.value = 'Sam Lee';
    f.querySelector<HTMLInputElement>('#invite-email')!.value = 'sam@example.com';
    f.querySelector<HTMLInputElement>('input[value="records"]')!.checked = true;
    f.querySelector<HTMLInputElement>('input[value="refills"]')!.checked = true;
    f.querySelector<HTMLInputElement>('#invite-agree')!.checked = true;
    inner(form, /Send the invitation/).click();
    await until(() => root(el).querySelector('.success'));
    expect(sent).to.deep.equal([
      {
        name: 'Sam Lee',
        email: 'sam@example.com',
        scopes: ['records', 'refills'],
        consentVersion: CURRENT_CAREGIVER_CONSENT.version,
      },
    ]);
    expect(root(el).querySelector('.success')!.textContent).to.include('We sent an invitation to sam@example.com');
    await settle(el);
    expect(root(el).querySelectorAll('ul.people > li')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('shows a refusal in the server’s words', async () => {
    api = fakeApi({
      'GET /api/sharing': list(),
      'POST /api/sharing': {
        status: 409,
        body: {
          error: 'already_invited',
          message:
            'You have already invited sam@example.com. Change or end that invitation in Account → Sharing instead.',
        },
      },
    });
    const el = await mount();
    button(el, /^Invite someone$/).click();
    await el.updateComplete;
    const form = root(el).querySelector('mcl-invite-form')!;
    const f = await sendInvite(form, ['records']);
    await until(() => f.querySelector('[role=alert]'));
    expect(f.querySelector('[role=alert]')!.textContent).to.include('You have already invited sam@example.com');
    expect(f.activeElement).to.equal(f.querySelector('[role=alert]'));
    await expect(el).to.be.accessible();
  });

  it('ends access after asking, and confirms who it is first when the sign-in is old (step-up)', async () => {
    api = fakeApi({
      'GET /api/sharing': (_b, n) => (n === 1 ? list(entry()) : list(entry({ state: 'revoked', changeable: false }))),
      'DELETE /api/sharing/g-1': (_b, n) =>
        n === 1
          ? reauthRequired
          : {
              body: {
                caregiver: entry({ state: 'revoked' }),
                message: 'Sam Lee can no longer see or do anything for you.',
              },
            },
      'POST /api/session/reauth': { body: sessionInfo },
    });
    const el = await mount();
    button(el, /End Sam Lee’s access/).click();
    const ask = root(el).querySelector('mcl-confirm-dialog')!;
    await until(() => ask.shadowRoot!.querySelector('dialog')!.open, 'the question');
    expect(ask.shadowRoot!.querySelector('h2')!.textContent).to.equal('End Sam Lee’s access?');
    // The safe answer has the focus.
    expect(ask.shadowRoot!.activeElement!.textContent).to.match(/No, keep it/);
    await expect(ask).to.be.accessible();
    inner(ask, /End their access/).click();
    const reauth = root(el).querySelector('mcl-reauth-dialog')!;
    await until(() => reauth.shadowRoot!.querySelector('dialog')?.open, 'the step-up dialog');
    reauth.shadowRoot!.querySelector<HTMLInputElement>('#reauth-password')!.value = 'correct horse battery staple';
    inner(reauth, /^Confirm$/).click();
    await until(() => root(el).querySelector('.success'));
    expect(root(el).querySelector('.success')!.textContent).to.equal(
      'Sam Lee can no longer see or do anything for you.',
    );
    expect(api.calls.filter((c) => c.startsWith('DELETE'))).to.have.length(2);
    expect(api.calls.some((c) => c.startsWith('POST /api/session/reauth'))).to.equal(true);
    await settle(el);
    expect(root(el).textContent).to.include('You ended it.');
    await expect(el).to.be.accessible();
  });

  it('changes what they may do; adding a permission asks for the consent again', async () => {
    const sent: unknown[] = [];
    api = fakeApi({
      'GET /api/sharing': list(entry()),
      'PATCH /api/sharing/g-1': (body) => {
        sent.push(body);
        return {
          body: {
            caregiver: entry(),
            message: 'Sam Lee may now read your health record and request refills, with no end date.',
          },
        };
      },
    });
    const el = await mount();
    button(el, /Change what Sam Lee may do/).click();
    await el.updateComplete;
    const form = root(el).querySelector('mcl-change-access-form')!;
    await form.updateComplete;
    const f = form.shadowRoot!;
    expect(f.querySelector('mcl-consent-text'), 'no new consent while nothing is added').to.equal(null);
    f.querySelector<HTMLInputElement>('input[value="messages"]')!.click();
    f.querySelector<HTMLInputElement>('input[value="refills"]')!.click();
    f.querySelector<HTMLInputElement>('input[name="endsOn"]')!.value = '';
    await form.updateComplete;
    expect(f.querySelector('mcl-consent-text')).to.exist;
    inner(form, /Save the changes/).click();
    await form.updateComplete;
    expect(f.querySelector('[id$="-agree-error"]')).to.exist;
    expect(sent).to.have.length(0);
    f.querySelector<HTMLInputElement>('input[name="agree"]')!.checked = true;
    inner(form, /Save the changes/).click();
    await until(() => root(el).querySelector('.success'));
    expect(sent).to.deep.equal([
      { scopes: ['records', 'refills'], endsOn: null, consentVersion: CURRENT_CAREGIVER_CONSENT.version },
    ]);
    await expect(el).to.be.accessible();
  });

  it('a consent to an older text: says so, and asks for the current one again', async () => {
    const sent: unknown[] = [];
    const old = { version: '0', acceptedAt: '2026-11-20T10:00:00.000Z', scopes: ['records' as const], current: false };
    api = fakeApi({
      'GET /api/sharing': list(entry({ consent: old })),
      'PATCH /api/sharing/g-1': (body) => {
        sent.push(body);
        return { body: { caregiver: entry(), message: 'Sam Lee may now read your health record, with no end date.' } };
      },
    });
    const el = await mount();
    expect(root(el).querySelector('.notice')!.textContent).to.include(
      'The consent text has changed since you accepted it',
    );
    button(el, /Change what Sam Lee may do/).click();
    await el.updateComplete;
    const form = root(el).querySelector('mcl-change-access-form')!;
    await form.updateComplete;
    const f = form.shadowRoot!;
    expect(f.textContent).to.include('The consent text has changed since you accepted it');
    expect(f.querySelector('mcl-consent-text')).to.exist;
    f.querySelector<HTMLInputElement>('input[name="agree"]')!.checked = true;
    inner(form, /Save the changes/).click();
    await until(() => root(el).querySelector('.success'));
    expect(sent).to.deep.equal([
      { scopes: ['records', 'messages'], endsOn: '2030-06-30', consentVersion: CURRENT_CAREGIVER_CONSENT.version },
    ]);
    await expect(el).to.be.accessible();
  });
});
