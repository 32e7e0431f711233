import { expect, fixture, html } from '@open-wc/testing';
import type { SessionController } from '../../session/session-controller.js';
import './day-schedule-page.js';
import './scheduling-page.js';
import './appointment-requests-page.js';

// The portal's answers, as the server gives them (server/routes/staff-appointments.ts); other requests fail.
const answers: Record<string, unknown> = {
  '/api/staff/appointments/requests': {
    timeZone: 'America/Chicago',
    visitTypes: [{ id: 'follow-up', name: 'Follow-up visit', minutes: 20 }],
    requests: [{ id: 'r1', created: '2026-11-20T10:00:00Z', patient: { id: 'p1', name: 'Reyna Ziemann' }, reason: 'My knee hurts on the stairs', earliest: '2026-11-30', latest: '2026-12-04', preference: 'Preferred: mornings' }],
  },
  '/api/staff/appointments/requests/r1/slots': { slots: [{ id: 's9', start: '2026-12-01T15:00:00.000Z', schedule: { name: 'Dr. Ana Lee', location: 'Main Street Clinic' } }] },
  '/api/staff/appointments/requests/r1/book': { appointment: { id: 'r1', status: 'booked' } },
  '/api/staff/appointments/scheduling': {
    visitTypes: [{ id: 'follow-up', name: 'Follow-up visit', minutes: 20, bookable_online: 1, instructions: 'Bring your medicines.' }],
    schedules: [{ id: 'dr-lee', kind: 'clinician', name: 'Dr. Ana Lee', department: 'Primary care', location_name: 'Main Street Clinic', location_address: '100 Main Street' }],
  },
  '/api/staff/appointments/day': {
    date: '2026-12-03',
    timeZone: 'America/Chicago',
    schedules: [{ id: 'dr-lee', name: 'Dr. Ana Lee', department: 'Primary care', location: 'Main Street Clinic', slots: [
      { id: 's1', start: '2026-12-03T15:00:00.000Z', end: '2026-12-03T15:20:00.000Z', visitType: 'Follow-up visit', booked: { appointmentId: 'a1', patient: { id: 'p1', name: 'Reyna Ziemann' }, status: 'booked' } },
      { id: 's2', start: '2026-12-03T15:20:00.000Z', end: '2026-12-03T15:40:00.000Z', visitType: 'Follow-up visit', booked: null },
    ] }],
  },
};

async function mount(tag: string, role: string) {
  const host = await fixture<HTMLElement>(html`<div></div>`);
  const el = document.createElement(tag) as HTMLElement & { session: SessionController; updateComplete: Promise<boolean> };
  el.session = { account: { id: 'staff-1', kind: 'staff', role } } as unknown as SessionController;
  host.append(el);
  for (let i = 0; i < 50 && !el.shadowRoot!.querySelector('table'); i++) await new Promise((r) => setTimeout(r, 20));
  await el.updateComplete;
  return el;
}

describe('staff pages for appointments', () => {
  const realFetch = window.fetch;
  const calls: string[] = [];
  before(() => {
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = new URL(String(input), location.origin).pathname;
      calls.push(`${init?.method ?? 'GET'} ${path} ${init?.body ?? ''}`);
      return path in answers ? new Response(JSON.stringify(answers[path]), { headers: { 'Content-Type': 'application/json' } }) : new Response('{}', { status: 404 });
    };
  });
  after(() => void (window.fetch = realFetch));

  it("the day's schedule: times in the clinic zone, who is booked, cancel with a reason; axe clean", async () => {
    const el = await mount('mcl-day-schedule-page', 'clinician');
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('Dr. Ana Lee').and.contain('9:00 AM–9:20 AM').and.contain('Reyna Ziemann').and.contain('free');
    expect(el.shadowRoot!.querySelector('button[aria-label="Cancel the visit of Reyna Ziemann at 9:00 AM"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('appointment requests: what for, which days; find a free time on those days and book it; axe clean', async () => {
    const el = await mount('mcl-appointment-requests-page', 'clinician');
    for (let i = 0; i < 50 && !el.shadowRoot!.querySelector('li'); i++) await new Promise((r) => setTimeout(r, 20));
    const root = el.shadowRoot!;
    expect(root.textContent!.replace(/\s+/g, ' ')).to.contain('Reyna Ziemann').and.contain('My knee hurts on the stairs').and.contain('Mon, Nov 30 – Fri, Dec 4 · Preferred: mornings');
    await expect(el).to.be.accessible();
    root.querySelector<HTMLButtonElement>('button[aria-label="Find a time for Reyna Ziemann"]')!.click();
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
    for (let i = 0; i < 50 && !root.querySelector('.times button'); i++) await new Promise((r) => setTimeout(r, 20));
    const time = root.querySelector<HTMLButtonElement>('.times button')!;
    expect(time.textContent).to.equal('Book Tue, Dec 1, 9:00 AM · Dr. Ana Lee');
    await expect(el).to.be.accessible();
    time.click();
    for (let i = 0; i < 50 && !root.querySelector('.success'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(calls).to.include('GET /api/staff/appointments/requests/r1/slots ');
    expect(calls).to.include('POST /api/staff/appointments/requests/r1/book {"slotId":"s9"}');
    expect(root.querySelector('.success')!.textContent).to.contain('Booked for Reyna Ziemann: Tue, Dec 1, 9:00 AM with Dr. Ana Lee');
  });

  it('scheduling: kinds of visit, schedules and adding times, for administrators only; axe clean', async () => {
    const el = await mount('mcl-scheduling-page', 'admin');
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('Follow-up visit (follow-up)').and.contain('patients online').and.contain('Main Street Clinic, 100 Main Street');
    expect(el.shadowRoot!.querySelectorAll('form')).to.have.length(3);
    await expect(el).to.be.accessible();
    const clinician = await mount('mcl-scheduling-page', 'clinician');
    expect(clinician.shadowRoot!.textContent).to.contain('This page is for administrators.');
  });
});
