import { expect } from '@open-wc/testing';
import { mountStaffPage, stubStaffApi } from '../../../session/mount-staff-page.js';
import './day-schedule-page.js';

// The portal's answers, as the server gives them (server/routes/staff-appointments.ts); other requests fail.
const answers: Record<string, unknown> = {
  '/api/staff/appointments/day': {
    date: '2026-12-03',
    timeZone: 'America/Chicago',
    schedules: [
      {
        id: 'dr-lee',
        name: 'Dr. Ana Lee',
        department: 'Primary care',
        location: 'Main Street Clinic',
        slots: [
          {
            id: 's1',
            start: '2026-12-03T15:00:00.000Z',
            end: '2026-12-03T15:20:00.000Z',
            visitType: 'Follow-up visit',
            booked: { appointmentId: 'a1', patient: { id: 'p1', name: 'Reyna Ziemann' }, status: 'booked' },
          },
          {
            id: 's2',
            start: '2026-12-03T15:20:00.000Z',
            end: '2026-12-03T15:40:00.000Z',
            visitType: 'Follow-up visit',
            booked: null,
          },
        ],
      },
    ],
  },
};

describe("staff: the day's schedule", () => {
  stubStaffApi(answers);

  it("the day's schedule: times in the clinic zone, who is booked, cancel with a reason; axe clean", async () => {
    const el = await mountStaffPage('mcl-day-schedule-page', 'clinician');
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text)
      .to.contain('Dr. Ana Lee')
      .and.contain('9:00 AM–9:20 AM')
      .and.contain('Reyna Ziemann')
      .and.contain('free');
    expect(el.shadowRoot!.querySelector('button[aria-label="Cancel the visit of Reyna Ziemann at 9:00 AM"]')).to.exist;
    await expect(el).to.be.accessible();
  });
});
