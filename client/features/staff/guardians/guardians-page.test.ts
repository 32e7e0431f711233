import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SessionController } from '../../../session/session-controller.js';
import './guardians-page.js';
import type { GuardiansPage } from './guardians-page.js';

// The portal's answers, as the server gives them (server/routes/staff-guardians.ts), by method and path.
const guardian = (over: Record<string, unknown> = {}) => ({
  id: 'g1',
  kind: 'guardian',
  name: 'Sofia Alvarez',
  email: 'sofia@example.com',
  acceptedBy: { name: 'Sofia Alvarez', email: 'sofia@example.com' },
  state: 'active',
  scopes: ['records', 'appointments', 'messages', 'refills'],
  allowedNow: ['records', 'appointments', 'messages', 'refills'],
  endsOn: null,
  endsAt: null,
  invitedAt: '2026-12-01T10:00:00.000Z',
  inviteExpiresAt: null,
  acceptedAt: '2026-12-01T11:00:00.000Z',
  revokedAt: null,
  leftAt: null,
  changeable: false,
  consent: null,
  createdBy: 'staff-1',
  ...over,
});
const lookup = {
  patient: {
    id: 'demo-maya-alvarez',
    name: 'Maya Alvarez',
    birthDate: '2016-10-23',
    mrn: 'MRN-100101',
    age: 10,
    stage: 'child',
  },
  rules: {
    narrowAt: 12,
    narrowedScopes: ['appointments'],
    endsAt: 18,
    text: 'From age 12, you may only see and book appointments (of what you were given). At 18 your access ends, unless Maya shares their record with you again themselves.',
  },
  attestation: { version: 'guardian-1', text: 'I checked that this person is the patient’s parent or legal guardian.' },
  guardians: [guardian()],
};
const added = {
  guardian: guardian({ id: 'g2', name: 'Luis Alvarez', email: 'luis@example.com', acceptedBy: null, state: 'invited' }),
  patient: lookup.patient,
  activation: {
    code: '4AZJ-7F2R-MJJX-TMQ0',
    link: 'http://localhost:8080/caregiver-invite#token=4AZJ-7F2R-MJJX-TMQ0',
    expiresAt: '2026-12-10T12:00:00.000Z',
  },
  message: 'We emailed an activation link to luis@example.com.',
};

describe('staff: parents and guardians', () => {
  const realFetch = window.fetch;
  const calls: string[] = [];
  let answers: Record<string, { status: number; body: unknown }> = {};
  before(() => {
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), location.origin);
      const key = `${init?.method ?? 'GET'} ${url.pathname}`;
      calls.push(`${key}${url.search} ${init?.body ?? ''}`);
      const a = answers[key] ?? { status: 404, body: { error: 'not_found', message: 'Not here.' } };
      return new Response(JSON.stringify(a.body), {
        status: a.status,
        headers: { 'Content-Type': 'application/json' },
      });
    };
  });
  after(() => void (window.fetch = realFetch));
  beforeEach(() => {
    calls.length = 0;
    answers = {
      'GET /api/staff/guardians': { status: 200, body: lookup },
      'POST /api/staff/guardians': { status: 201, body: added },
    };
  });

  const mount = async () => {
    const host = await fixture<HTMLElement>(html`<div></div>`);
    const el = document.createElement('mcl-guardians-page');
    el.session = { account: { id: 'staff-1', kind: 'staff', role: 'helpdesk' } } as unknown as SessionController;
    host.append(el);
    await el.updateComplete;
    return el;
  };
  const settle = async (el: GuardiansPage, test: () => boolean) => {
    for (let i = 0; i < 50 && !test(); i++) await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
  };

  it('finds a child by MRN with the keyboard, shows the guardians and the age rules; labelled and axe clean', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const ref = root.querySelector<HTMLInputElement>('#ref')!;
    expect(root.querySelector('label[for="ref"]')!.textContent).to.contain('MRN or patient id');
    ref.focus();
    await sendKeys({ type: 'MRN-100101' });
    root.querySelector<HTMLButtonElement>('form[role=search] button')!.focus();
    await sendKeys({ press: 'Enter' });
    await settle(el, () => !!root.querySelector('table'));
    expect(calls[0]).to.match(/^GET \/api\/staff\/guardians\?patient=MRN-100101/);
    const text = root.textContent!.replace(/\s+/g, ' ');
    expect(text)
      .to.contain('Maya Alvarez')
      .and.contain('10 years old')
      .and.contain('Sofia Alvarez')
      .and.contain('Active')
      .and.contain('From age 12, you may only see and book appointments');
    for (const id of ['g-name', 'g-email']) expect(root.querySelector(`label[for="${id}"]`)).to.exist;
    expect(root.querySelectorAll('input[name="scopes"]:checked')).to.have.length(4);
    await expect(el).to.be.accessible();
  });

  it('sets a guardian up and shows the activation code once, to print; says what is missing', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    root.querySelector<HTMLInputElement>('#ref')!.value = 'MRN-100101';
    root.querySelector<HTMLInputElement>('#ref')!.dispatchEvent(new Event('input'));
    root.querySelector<HTMLFormElement>('form[role=search]')!.requestSubmit();
    await settle(el, () => !!root.querySelector('#g-name'));
    root.querySelector<HTMLInputElement>('#g-name')!.value = 'Luis Alvarez';
    root.querySelector<HTMLInputElement>('#g-email')!.value = 'luis@example.com';
    root.querySelector<HTMLInputElement>('input[value="refills"]')!.checked = false;

    // Without the attestation ticked, the server's reason is shown beside it.
    answers['POST /api/staff/guardians'] = {
      status: 400,
      body: {
        error: 'invalid_body',
        message: 'Confirm that you checked their legal authority.',
        issues: [{ path: 'attestation', message: 'Confirm that you checked their legal authority.' }],
      },
    };
    root.querySelector<HTMLFormElement>('form[aria-labelledby="add-heading"]')!.requestSubmit();
    await settle(el, () => !!root.querySelector('#g-attested-error'));
    expect(root.querySelector('#g-attested-error')!.textContent).to.contain('legal authority');
    expect(JSON.parse(calls.at(-1)!.split(' ').slice(2).join(' '))).to.deep.include({
      patient: 'demo-maya-alvarez',
      attestation: '',
      scopes: ['records', 'appointments', 'messages'],
    });

    answers['POST /api/staff/guardians'] = { status: 201, body: added };
    root.querySelector<HTMLInputElement>('input[name="attested"]')!.checked = true;
    root.querySelector<HTMLFormElement>('form[aria-labelledby="add-heading"]')!.requestSubmit();
    await settle(
      el,
      () => !!root.querySelector('.activation') && root.activeElement === root.querySelector('.activation'),
    );
    const body = JSON.parse(
      calls
        .filter((c) => c.startsWith('POST'))
        .at(-1)!
        .split(' ')
        .slice(2)
        .join(' '),
    );
    expect(body).to.deep.equal({
      patient: 'demo-maya-alvarez',
      name: 'Luis Alvarez',
      email: 'luis@example.com',
      scopes: ['records', 'appointments', 'messages'],
      attestation: 'guardian-1',
    });
    const activation = root.querySelector('.activation')!;
    expect(activation.textContent).to.contain('4AZJ-7F2R-MJJX-TMQ0').and.contain('2026-12-10');
    expect(
      root.activeElement === activation,
      `focus on the activation, not ${root.activeElement?.outerHTML.slice(0, 120)} / ${document.activeElement?.tagName}`,
    ).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('ends a guardian’s access after a second press, and refuses adults plainly', async () => {
    answers['DELETE /api/staff/guardians/g1'] = {
      status: 200,
      body: {
        guardian: guardian({ state: 'revoked', allowedNow: [] }),
        message: 'Sofia Alvarez can no longer see or do anything for this patient.',
      },
    };
    const el = await mount();
    const root = el.shadowRoot!;
    root.querySelector<HTMLInputElement>('#ref')!.value = 'MRN-100101';
    root.querySelector<HTMLInputElement>('#ref')!.dispatchEvent(new Event('input'));
    root.querySelector<HTMLFormElement>('form[role=search]')!.requestSubmit();
    await settle(el, () => !!root.querySelector('table'));
    root.querySelector<HTMLButtonElement>('button[aria-label="End access for Sofia Alvarez"]')!.click();
    await el.updateComplete;
    [...root.querySelectorAll('button')].find((b) => b.textContent!.includes('End Sofia Alvarez'))!.click();
    await settle(el, () => !!root.querySelector('[role=status]'));
    expect(calls.some((c) => c.startsWith('DELETE /api/staff/guardians/g1'))).to.equal(true);
    expect(root.querySelector('[role=status]')!.textContent).to.contain('can no longer see');

    answers['GET /api/staff/guardians'] = {
      status: 200,
      body: { ...lookup, patient: { ...lookup.patient, name: 'Priya Raman', age: 31, stage: 'adult' }, guardians: [] },
    };
    root.querySelector<HTMLFormElement>('form[role=search]')!.requestSubmit();
    await settle(el, () => root.textContent!.includes('Priya Raman'));
    expect(root.textContent).to.contain('not a minor');
    expect(root.querySelector('#g-name')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
