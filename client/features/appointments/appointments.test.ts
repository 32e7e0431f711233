import { expect, fixture, html } from '@open-wc/testing';
import type { Appointment } from 'fhir/r4';
import type { RecordPage } from '../records/record-page.js';
import type { Vault } from '../../data/vault.js';
import { news } from '../records/news.js';
import { mountRecordPage, openTestRecord } from '../records/mount-record-page.js';
import { demoClinic } from '../../../server/demo-clinic.js';
import { icsFor, splitVisits, visitTime } from './visit-time.js';
import type { BookPage } from './book-page.js';
import type { SessionController } from '../../app/session-controller.js';
import './appointments-page.js';
import './book-page.js';

const P = 'patient-1';
const DB = 'mcl-vault-appointments-test';
// In the shape the server writes (server/appointments/appointments.ts).
const visit = (id: string, start: string, status: Appointment['status'] = 'booked'): Appointment => ({
  resourceType: 'Appointment', id, status, start, end: new Date(Date.parse(start) + 20 * 60_000).toISOString(), minutesDuration: 20,
  serviceType: [{ text: 'Primary care' }], appointmentType: { text: 'Follow-up visit' }, description: 'Follow-up visit', patientInstruction: 'Bring your medicines.',
  contained: [{ resourceType: 'Location', id: 'place', name: 'Main Street Clinic', address: { text: '100 Main Street, Rochester, MN 55901' } }],
  participant: [{ actor: { reference: `Patient/${P}`, display: 'Margery' }, status: 'accepted' }, { actor: { display: 'Dr. Ana Lee' }, status: 'accepted' }, { actor: { reference: '#place', display: 'Main Street Clinic' }, status: 'accepted' }],
});
const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();

describe('appointments', () => {
  it('shows the clinic time with its zone, and the device time too when they differ', () => {
    const t = visitTime('2026-12-03T15:00:00.000Z', 'America/Chicago', 'Europe/Berlin');
    expect(t.clinic).to.equal('Thursday, December 3, 2026 at 9:00 AM CST (Chicago time)');
    expect(t.device).to.equal('Thursday, December 3, 2026 at 4:00 PM GMT+1 where you are (Berlin)');
    expect(visitTime('2026-12-03T15:00:00.000Z', 'America/Chicago', 'America/Chicago').device).to.equal(undefined);
  });

  it('makes an .ics file: UTC times, the place, no visit type in the title', () => {
    const ics = icsFor(visit('a1', '2026-12-03T15:00:00.000Z'), 'Demo Clinic', new Date('2026-11-25T12:00:00Z'));
    expect(ics).to.contain('BEGIN:VCALENDAR\r\n').and.contain('DTSTART:20261203T150000Z\r\n').and.contain('DTEND:20261203T152000Z\r\n');
    expect(ics).to.contain('SUMMARY:Appointment at Demo Clinic\r\n').and.contain('LOCATION:Main Street Clinic\\, 100 Main Street\\, Rochester\\, MN 55901');
    expect(ics).to.contain('UID:a1@mayocarelink').and.match(/END:VCALENDAR\r\n$/);
    expect(ics.split('\r\n').every((l) => new TextEncoder().encode(l).length <= 75)).to.equal(true);
  });

  it('splits upcoming (soonest first) from past and cancelled', () => {
    const { upcoming, past } = splitVisits([visit('b', soon), visit('a', '2020-01-01T15:00:00Z'), visit('c', soon, 'cancelled')]);
    expect(upcoming.map((a) => a.id)).to.deep.equal(['b']);
    expect(past.map((a) => a.id).sort()).to.deep.equal(['a', 'c']);
  });

  describe('the list (real vault)', () => {
    let close: () => Promise<void>;
    let vault: Vault;
    const byClinic = { ...visit('byclinic', soon, 'cancelled'), cancelationReason: { text: 'Cancelled by the clinic: Dr. Lee is unwell' } };
    before(async () => {
      ({ close, vault } = await openTestRecord(DB, P, (v) => v.put(P, [{ resourceType: 'Patient', id: P }, visit('up', soon), visit('old', '2024-05-01T14:00:00Z', 'fulfilled'), visit('off', '2026-01-01T15:00:00Z', 'cancelled'), byClinic])));
    });

    it('Home tells of a visit the clinic cancelled, until Appointments is opened', async () => {
      const before = await news(vault, P, 'America/Chicago');
      expect(before.items.map((i) => i.text).join(' ')).to.match(/Your appointment on .* \(Chicago time\) was cancelled by the clinic: Dr\. Lee is unwell/);
      await mountRecordPage<RecordPage>('mcl-appointments-page', P, { clinic: demoClinic });
      expect((await news(vault, P, 'America/Chicago')).items).to.have.length(0);
    });
    after(() => close());

    it('lists upcoming visits with who, where and what to bring; past ones link to visit summaries; axe clean', async () => {
      const el = await mountRecordPage<RecordPage>('mcl-appointments-page', P, { clinic: demoClinic });
      const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
      expect(text).to.contain('Upcoming (1)').and.contain('Follow-up visit with Dr. Ana Lee').and.contain('100 Main Street, Rochester').and.contain('Before you come: Bring your medicines.');
      expect(text).to.contain('Past and cancelled (3)').and.contain('Status: Attended').and.contain('Status: Cancelled');
      expect(el.shadowRoot!.querySelector('button[aria-label^="Add to calendar"]')).to.exist;
      expect(el.shadowRoot!.querySelector('a[href="/appointments/book?reschedule=up"]')).to.exist;
      expect(el.shadowRoot!.querySelector('a[href="/records/visits"]')).to.exist;
      await expect(el).to.be.accessible();
    });
  });

  it('booking without a connection says so plainly', async () => {
    // The network is gone: every request fails the way a browser's fetch fails offline.
    const realFetch = window.fetch;
    window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    after(() => void (window.fetch = realFetch));
    const host = await fixture<HTMLElement>(html`<div></div>`);
    const el = document.createElement('mcl-book-page') as BookPage;
    el.session = { account: { id: 'acct', patientId: P } } as unknown as SessionController;
    el.clinic = demoClinic;
    host.append(el);
    for (let i = 0; i < 100 && !el.shadowRoot!.querySelector('[role=alert]'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('could not be reached').and.contain('still listed under Appointments');
    await expect(el).to.be.accessible();
  });
});
