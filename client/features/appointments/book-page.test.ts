import { expect } from '@open-wc/testing';
import type { Appointment, Patient } from 'fhir/r4';
import { mountRecordPage, openTestRecord } from '../../session/mount-record-page.js';
import { demoClinic } from '../../../common/demo-clinic.js';
import type { BookPage } from './book-page.js';
import './book-page.js';

const P = 'patient-1';
const DB = 'mcl-vault-book-test';
const clinic = { ...demoClinic, booking: { changeCutoffHours: 24 } };
const day = (n: number, hour: number) => {
  const d = new Date(Date.now() + n * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};
// In the shape the server writes (server/appointments/appointments.ts).
const booked = (id: string, start: string): Appointment => ({
  resourceType: 'Appointment',
  id,
  status: 'booked',
  start,
  end: new Date(Date.parse(start) + 20 * 60_000).toISOString(),
  appointmentType: {
    coding: [{ system: 'http://localhost/fhir/visit-types', code: 'follow-up' }],
    text: 'Follow-up visit',
  },
  participant: [
    { actor: { reference: `Patient/${P}`, display: 'Margery' }, status: 'accepted' },
    { actor: { display: 'Dr. Ana Lee' }, status: 'accepted' },
  ],
});
const patient: Patient = {
  resourceType: 'Patient',
  id: P,
  generalPractitioner: [{ reference: 'Practitioner/demo-dr-helen-park', display: 'Dr. Helen Park, MD' }],
};

// What GET /api/appointments/options and /slots answer (server/routes/appointments.ts).
const schedule = (id: string, name: string, practitioner: string | null, kind = 'clinician') => ({
  id,
  name,
  kind,
  department: 'Primary care',
  practitioner,
  location: 'Main Street Clinic',
  address: '100 Main Street, Rochester, MN 55901',
});
const options = {
  visitTypes: [
    { id: 'annual-physical', name: 'Annual physical', minutes: 40, instructions: '' },
    { id: 'follow-up', name: 'Follow-up visit', minutes: 20, instructions: 'Bring your medicines.' },
  ],
  schedules: [
    { ...schedule('dr-ana-lee', 'Dr. Ana Lee', null), visitTypes: ['follow-up'] },
    { ...schedule('dr-helen-park', 'Dr. Helen Park', 'Practitioner/demo-dr-helen-park'), visitTypes: ['follow-up'] },
    { ...schedule('primary-care', 'Primary care team', null, 'department'), visitTypes: ['annual-physical'] },
  ],
};
const slot = (id: string, start: string, s: ReturnType<typeof schedule>) => ({
  id,
  start,
  end: new Date(Date.parse(start) + 20 * 60_000).toISOString(),
  visitType: { id: 'follow-up', name: 'Follow-up visit', minutes: 20 },
  schedule: s,
});
const slots = [
  slot('lee-1', day(3, 15), schedule('dr-ana-lee', 'Dr. Ana Lee', null)),
  slot('park-1', day(3, 20), schedule('dr-helen-park', 'Dr. Helen Park', 'Practitioner/demo-dr-helen-park')),
  slot('lee-2', day(4, 15), schedule('dr-ana-lee', 'Dr. Ana Lee', null)),
  slot('park-2', day(5, 20), schedule('dr-helen-park', 'Dr. Helen Park', 'Practitioner/demo-dr-helen-park')),
];

/** The page's requests, answered as the server answers them; each asked address is kept (path and query). */
function answerApi(answer: (url: URL) => unknown): { asked: string[]; restore(): void } {
  const realFetch = window.fetch;
  const asked: string[] = [];
  window.fetch = async (input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.origin);
    asked.push(`${url.pathname}${url.search}`);
    const body = answer(url); // throws as fetch does when there is no network
    return body === undefined
      ? new Response(JSON.stringify({ error: 'not_found', message: 'Not here.' }), { status: 404 })
      : new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
  };
  return { asked, restore: () => void (window.fetch = realFetch) };
}
const server = (url: URL) =>
  url.pathname === '/api/appointments/options'
    ? options
    : url.pathname === '/api/appointments/slots'
      ? { slots }
      : undefined;

async function until(check: () => unknown) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
}
const text = (el: Node) => el.textContent!.replace(/\s+/g, ' ');

describe('booking page (real vault, the API answering as the server does)', () => {
  let rec: Awaited<ReturnType<typeof openTestRecord>>;
  let api: ReturnType<typeof answerApi>;
  beforeEach(async () => {
    rec = await openTestRecord(DB, P, (v) =>
      v.put(P, [
        patient,
        booked('later', day(6, 15)),
        booked('near', new Date(Date.now() + 5 * 3600_000).toISOString()),
      ]),
    );
  });
  afterEach(async () => {
    api?.restore();
    history.replaceState(null, '', location.pathname);
    await rec.close();
  });
  const open = async (query = '', answer = server) => {
    history.replaceState(null, '', `${location.pathname}${query}`);
    api = answerApi(answer);
    const el = await mountRecordPage<BookPage>('mcl-book-page', P, { clinic });
    await until(() => el.shadowRoot!.querySelector('form, [role=alert]') || query.includes('near'));
    await el.updateComplete;
    return el;
  };
  const showTimes = async (el: BookPage) => {
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await until(() => el.shadowRoot!.querySelector('#times-title'));
    await el.updateComplete;
  };

  it('says the rule before anything is chosen: until when online, then the number to call', async () => {
    const el = await open();
    const rule = el.shadowRoot!.querySelector('p.rule')!;
    expect(text(rule)).to.equal(
      'You can book, change or cancel a visit online until 24 hours before it starts; after that, please call +1 507-555-0100. Sooner times are not shown here.',
    );
    expect(rule.querySelector('a[href="tel:+15075550100"]')).to.exist;
    const form = el.shadowRoot!.querySelector('form')!;
    expect(rule.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING, 'before the form').to.not.equal(0);
    await expect(el).to.be.accessible();
  });

  it('"Change the time" keeps the kind of visit: it is not asked again, and only its times are asked for', async () => {
    const el = await open('?reschedule=later');
    const root = el.shadowRoot!;
    expect(root.querySelector('h1')!.textContent).to.equal('Change the time of your appointment');
    expect(root.querySelector('select#type'), 'not asked again').to.equal(null);
    expect(text(root.querySelector('#type')!)).to.contain('Kind of visit: Follow-up visit (20 minutes)');
    expect(text(root)).to.match(
      /Your follow-up visit with Dr\. Ana Lee on .*\. Choose a new time for the same kind of visit; this can be done online until /,
    );
    await expect(el).to.be.accessible();
    await showTimes(el);
    expect(api.asked).to.include('/api/appointments/slots?visitType=follow-up');
    await expect(el).to.be.accessible();
  });

  it('a visit inside the cut-off is not walked through: the page says to call, up front', async () => {
    const el = await open('?reschedule=near');
    await until(() => el.shadowRoot!.textContent!.includes('no longer'));
    const root = el.shadowRoot!;
    expect(text(root)).to.match(
      /Your follow-up visit on .* can no longer be changed online \(that closed .*\)\. To change or cancel it, please call \+1 507-555-0100\./,
    );
    expect(root.querySelector('form'), 'no form to fill in').to.equal(null);
    expect(root.querySelectorAll('a[href="tel:+15075550100"]').length).to.be.greaterThan(0);
    await expect(el).to.be.accessible();
  });

  it('offers the patient’s own clinician’s times first, in a labelled group, then the others', async () => {
    const el = await open();
    const root = el.shadowRoot!;
    const type = root.querySelector<HTMLSelectElement>('select#type')!;
    type.value = 'follow-up';
    type.dispatchEvent(new Event('change'));
    await el.updateComplete;
    const withWhom = [...root.querySelectorAll<HTMLOptionElement>('#schedule option')].map((o) => o.textContent);
    expect(withWhom.slice(0, 2)).to.deep.equal([
      'Anyone who offers it',
      'Dr. Helen Park (Primary care), your clinician',
    ]);
    await showTimes(el);
    // Focus moves to the times (keyboard users land where the answer is).
    expect(root.activeElement?.id).to.equal('times-title');
    const groups = [...root.querySelectorAll('section.group')];
    expect(groups.map((g) => g.querySelector('h3')!.textContent)).to.deep.equal([
      'Your clinician, Dr. Helen Park',
      'Other clinicians and teams',
    ]);
    const first = (g: Element) =>
      [...g.querySelectorAll('button')].map((b) => b.getAttribute('aria-label')!.replace(/,.*$/, ''));
    expect(first(groups[0]!).every((l) => l.endsWith('· Dr. Helen Park'))).to.equal(true);
    expect(first(groups[0]!)).to.have.length(2);
    expect(first(groups[1]!).every((l) => l.endsWith('· Dr. Ana Lee'))).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('without a connection says so plainly, and offers the request form instead', async () => {
    // The network is gone: every request fails the way a browser's fetch fails offline.
    const el = await open('', () => {
      throw new TypeError('Failed to fetch');
    });
    await until(() => el.shadowRoot!.querySelector('[role=alert]'));
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent)
      .to.contain('could not be reached')
      .and.contain('You can ask for an appointment instead');
    expect(el.shadowRoot!.querySelector('a[href="/appointments/request"]')).to.exist;
    await expect(el).to.be.accessible();
  });
});
