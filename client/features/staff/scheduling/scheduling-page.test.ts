import { expect } from '@open-wc/testing';
import { mountStaffPage, stubStaffApi } from '../../../session/mount-staff-page.js';
import './scheduling-page.js';

// The portal's answers, as the server gives them (server/routes/staff-appointments.ts); other requests fail.
const answers: Record<string, unknown> = {
  '/api/staff/appointments/scheduling': {
    visitTypes: [
      {
        id: 'follow-up',
        name: 'Follow-up visit',
        minutes: 20,
        bookable_online: 1,
        instructions: 'Bring your medicines.',
      },
    ],
    schedules: [
      {
        id: 'dr-lee',
        kind: 'clinician',
        name: 'Dr. Ana Lee',
        department: 'Primary care',
        location_name: 'Main Street Clinic',
        location_address: '100 Main Street',
      },
    ],
  },
};

describe('staff: scheduling', () => {
  stubStaffApi(answers);

  it('scheduling: kinds of visit, schedules and adding times, for administrators only; axe clean', async () => {
    const el = await mountStaffPage('mcl-scheduling-page', 'admin');
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text)
      .to.contain('Follow-up visit (follow-up)')
      .and.contain('patients online')
      .and.contain('Main Street Clinic, 100 Main Street');
    expect(el.shadowRoot!.querySelectorAll('form')).to.have.length(3);
    await expect(el).to.be.accessible();
    const clinician = await mountStaffPage('mcl-scheduling-page', 'clinician');
    expect(clinician.shadowRoot!.textContent).to.contain('This page is for administrators.');
  });
});
