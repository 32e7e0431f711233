import { expect } from '@open-wc/testing';
import { mountStaffPage, stubStaffApi } from '../../../session/mount-staff-page.js';
import './appointment-requests-page.js';

// The portal's answers, as the server gives them (server/routes/staff-appointments.ts); other requests fail.
const answers: Record<string, unknown> = {
  '/api/staff/appointments/requests': {
    timeZone: 'America/Chicago',
    visitTypes: [{ id: 'follow-up', name: 'Follow-up visit', minutes: 20 }],
    requests: [
      {
        id: 'r1',
        created: '2026-11-20T10:00:00Z',
        patient: { id: 'p1', name: 'Reyna Ziemann' },
        reason: 'My knee hurts on the stairs',
        earliest: '2026-11-30',
        latest: '2026-12-04',
        preference: 'Preferred: mornings',
      },
    ],
  },
  '/api/staff/appointments/requests/r1/slots': {
    slots: [
      {
        id: 's9',
        start: '2026-12-01T15:00:00.000Z',
        schedule: { name: 'Dr. Ana Lee', location: 'Main Street Clinic' },
      },
    ],
  },
  '/api/staff/appointments/requests/r1/book': { appointment: { id: 'r1', status: 'booked' } },
};

describe('staff: appointment requests', () => {
  const calls = stubStaffApi(answers);

  it('appointment requests: what for, which days; find a free time on those days and book it; axe clean', async () => {
    const el = await mountStaffPage('mcl-appointment-requests-page', 'clinician');
    for (let i = 0; i < 50 && !el.shadowRoot!.querySelector('li'); i++) await new Promise((r) => setTimeout(r, 20));
    const root = el.shadowRoot!;
    expect(root.textContent!.replace(/\s+/g, ' '))
      .to.contain('Reyna Ziemann')
      .and.contain('My knee hurts on the stairs')
      .and.contain('Mon, Nov 30 – Fri, Dec 4 · Preferred: mornings');
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
    expect(root.querySelector('.success')!.textContent).to.contain(
      'Booked for Reyna Ziemann: Tue, Dec 1, 9:00 AM with Dr. Ana Lee',
    );
  });
});
