import { expect } from '@open-wc/testing';
import type { Appointment, CareTeam, Encounter } from 'fhir/r4';
import type { RecordPage } from '../../session/record-page.js';
import type { Vault } from '../../record/vault.js';
import { news } from '../../record/news.js';
import { mountRecordPage, openTestRecord } from '../../session/mount-record-page.js';
import { demoClinic } from '../../../common/demo-clinic.js';
import { icsFor, splitVisits, visitTime } from '../../record/visit-time.js';
import { changeWindow, deadlineText, ownClinicians } from '../../record/visit-rules.js';
import { draftKey } from '../../record/draft-keeper.js';
import { REQUEST_PAGE, requestFrom } from './request-page.js';
import './appointments-page.js';
import './request-page.js';

const P = 'patient-1';
const DB = 'mcl-vault-appointments-test';
// In the shape the server writes (server/appointments/appointments.ts).
const visit = (id: string, start: string, status: Appointment['status'] = 'booked'): Appointment => ({
  resourceType: 'Appointment',
  id,
  status,
  start,
  end: new Date(Date.parse(start) + 20 * 60_000).toISOString(),
  minutesDuration: 20,
  serviceType: [{ text: 'Primary care' }],
  appointmentType: { text: 'Follow-up visit' },
  description: 'Follow-up visit',
  patientInstruction: 'Bring your medicines.',
  contained: [
    {
      resourceType: 'Location',
      id: 'place',
      name: 'Main Street Clinic',
      address: { text: '100 Main Street, Rochester, MN 55901' },
    },
  ],
  participant: [
    { actor: { reference: `Patient/${P}`, display: 'Margery' }, status: 'accepted' },
    { actor: { display: 'Dr. Ana Lee' }, status: 'accepted' },
    { actor: { reference: '#place', display: 'Main Street Clinic' }, status: 'accepted' },
  ],
});
const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
// A request as the server writes it (server/appointments/requests.ts), and one the clinic declined.
const request = (id: string): Appointment => ({
  resourceType: 'Appointment',
  id,
  status: 'proposed',
  created: '2026-11-20T10:00:00Z',
  description: 'Appointment request',
  reasonCode: [{ text: 'My knee hurts on the stairs' }],
  requestedPeriod: [{ start: '2026-11-30', end: '2026-12-04' }],
  comment: 'Preferred: mornings',
  participant: [{ actor: { reference: `Patient/${P}`, display: 'Margery' }, status: 'accepted' }],
});
const declined: Appointment = {
  ...request('declined'),
  status: 'cancelled',
  cancelationReason: { text: 'Not booked by the clinic: Please see your own clinician first' },
};

describe('appointments', () => {
  it('shows the clinic time with its zone, and the device time too when they differ', () => {
    const t = visitTime('2026-12-03T15:00:00.000Z', 'America/Chicago', 'Europe/Berlin');
    expect(t.clinic).to.equal('Thursday, December 3, 2026 at 9:00 AM CST (Chicago time)');
    expect(t.device).to.equal('Thursday, December 3, 2026 at 4:00 PM GMT+1 where you are (Berlin)');
    expect(visitTime('2026-12-03T15:00:00.000Z', 'America/Chicago', 'America/Chicago').device).to.equal(undefined);
  });

  it('makes an .ics file: UTC times, the place, no visit type in the title', () => {
    const ics = icsFor(visit('a1', '2026-12-03T15:00:00.000Z'), 'Demo Clinic', new Date('2026-11-25T12:00:00Z'));
    expect(ics)
      .to.contain('BEGIN:VCALENDAR\r\n')
      .and.contain('DTSTART:20261203T150000Z\r\n')
      .and.contain('DTEND:20261203T152000Z\r\n');
    expect(ics)
      .to.contain('SUMMARY:Appointment at Demo Clinic\r\n')
      .and.contain('LOCATION:Main Street Clinic\\, 100 Main Street\\, Rochester\\, MN 55901');
    expect(ics)
      .to.contain('UID:a1@mayocarelink')
      .and.match(/END:VCALENDAR\r\n$/);
    expect(ics.split('\r\n').every((l) => new TextEncoder().encode(l).length <= 75)).to.equal(true);
  });

  it('splits upcoming (soonest first) from requests waiting for a time, past visits and cancelled ones', () => {
    const { upcoming, requests, past, cancelled } = splitVisits([
      visit('b', soon),
      visit('a', '2020-01-01T15:00:00Z'),
      visit('c', soon, 'cancelled'),
      request('r'),
      declined,
    ]);
    expect(upcoming.map((a) => a.id)).to.deep.equal(['b']);
    expect(requests.map((a) => a.id)).to.deep.equal(['r']);
    expect(past.map((a) => a.id)).to.deep.equal(['a']);
    expect(cancelled.map((a) => a.id).sort()).to.deep.equal(['c', 'declined']);
  });

  it('checks a request before it goes into the outbox, with a sentence for each problem', () => {
    const form = (fields: Record<string, string>) =>
      Object.entries(fields).reduce((f, [k, v]) => (f.append(k, v), f), new FormData());
    const ok = { reason: 'Knee pain', earliest: '2026-12-01', latest: '2026-12-10', timeOfDay: 'morning' };
    expect(requestFrom(form(ok), P, '2026-11-25')).to.deep.equal({ body: { patientId: P, ...ok } });
    expect(requestFrom(form({ ...ok, reason: ' ' }), P, '2026-11-25')).to.deep.equal({
      problem: 'Please say what the visit is for.',
    });
    expect(requestFrom(form({ ...ok, latest: '2026-11-30' }), P, '2026-11-25')).to.deep.equal({
      problem: 'The last day is before the first day.',
    });
    expect(requestFrom(form({ ...ok, earliest: '2026-11-01', latest: '2026-11-02' }), P, '2026-11-25'))
      .to.have.property('problem')
      .that.contains('passed');
    expect(requestFrom(form({ ...ok, earliest: '' }), P, '2026-11-25'))
      .to.have.property('problem')
      .that.contains('first and the last day');
  });

  it('the request form starts from what the person had chosen (kept drafts), not from the defaults', async () => {
    const { close } = await openTestRecord(`${DB}-kept`, P, async (v) => {
      await v.put(P, [{ resourceType: 'Patient', id: P }]);
      await v.saveDraft(draftKey(REQUEST_PAGE, 'earliest'), '2031-01-05');
      await v.saveDraft(draftKey(REQUEST_PAGE, 'latest'), '2031-01-09');
      await v.saveDraft(draftKey(REQUEST_PAGE, 'timeOfDay'), 'afternoon');
      await v.saveDraft(draftKey(REQUEST_PAGE, 'reason'), 'Flu shot');
    });
    try {
      const el = await mountRecordPage<RecordPage>('mcl-request-page', P, { clinic: demoClinic });
      const root = el.shadowRoot!;
      for (let i = 0; i < 50 && !root.querySelector<HTMLTextAreaElement>('#reason')!.value; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(root.querySelector<HTMLInputElement>('#earliest')!.value).to.equal('2031-01-05');
      expect(root.querySelector<HTMLInputElement>('#latest')!.value).to.equal('2031-01-09');
      expect(root.querySelector<HTMLSelectElement>('#timeOfDay')!.value).to.equal('afternoon');
      expect(root.querySelector<HTMLTextAreaElement>('#reason')!.value).to.equal('Flu shot');
    } finally {
      await close();
    }
  });

  it('writes a request with no connection: it waits in the outbox, sealed, and the drafts are cleared', async () => {
    const realFetch = window.fetch;
    window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const { close, vault } = await openTestRecord(`${DB}-request`, P, (v) =>
      v.put(P, [{ resourceType: 'Patient', id: P }]),
    );
    try {
      const el = await mountRecordPage<RecordPage>('mcl-request-page', P, { clinic: demoClinic });
      await expect(el).to.be.accessible();
      const root = el.shadowRoot!;
      const reason = root.querySelector<HTMLTextAreaElement>('#reason')!;
      reason.value = 'My knee hurts on the stairs';
      reason.dispatchEvent(new Event('input'));
      root.querySelector<HTMLSelectElement>('#timeOfDay')!.value = 'afternoon';
      const latest = root.querySelector<HTMLInputElement>('#latest')!;
      const earliest = root.querySelector<HTMLInputElement>('#earliest')!;
      const first = earliest.value;
      latest.value = '2020-01-01';
      root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
      await el.updateComplete;
      expect(root.querySelector('[role=alert]')!.textContent).to.contain('The last day is before the first day.');
      latest.value = first;
      root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
      let items = await vault.outboxItems();
      for (let i = 0; i < 50 && !items.length; i++)
        items = (await new Promise((r) => setTimeout(r, 20)), await vault.outboxItems());
      expect(items).to.have.length(1);
      expect(items[0]).to.include({ kind: 'appointment', action: 'appointment.request', state: 'waiting' });
      expect(items[0]!.body).to.deep.equal({
        patientId: P,
        reason: 'My knee hurts on the stairs',
        earliest: first,
        latest: first,
        timeOfDay: 'afternoon',
      });
      const row = (await vault.db.outbox.toArray())[0]!;
      expect(JSON.stringify(row)).not.to.contain('knee');
      expect(await vault.draft(draftKey(REQUEST_PAGE, 'reason'))).to.equal(undefined);
    } finally {
      window.fetch = realFetch;
      await close();
    }
  });

  describe('the list (real vault)', () => {
    let close: () => Promise<void>;
    let vault: Vault;
    const byClinic = {
      ...visit('byclinic', soon, 'cancelled'),
      cancelationReason: { text: 'Cancelled by the clinic: Dr. Lee is unwell' },
    };
    before(async () => {
      ({ close, vault } = await openTestRecord(DB, P, async (v) => {
        await v.put(P, [
          { resourceType: 'Patient', id: P },
          visit('up', soon),
          visit('old', '2024-05-01T14:00:00Z', 'fulfilled'),
          visit('off', '2026-01-01T15:00:00Z', 'cancelled'),
          byClinic,
          request('asked'),
          declined,
        ]);
        // A request the portal refused when it was sent (its days had passed meanwhile): kept, with the reason.
        await v.putOutbox({
          id: 'refused-1',
          createdAt: '2026-11-01T10:00:00Z',
          state: 'refused',
          kind: 'appointment',
          subject: 'request',
          title: 'Appointment request: Flu shot',
          action: 'appointment.request',
          body: { patientId: P, reason: 'Flu shot', earliest: '2026-11-02', latest: '2026-11-03', timeOfDay: 'any' },
          problem: 'All the days asked for have passed. Please choose new days.',
        });
      }));
    });

    it('Home tells of a visit the clinic cancelled and a request it declined, until Appointments is opened', async () => {
      const before = await news(vault, P, 'America/Chicago');
      expect(before.items.map((i) => i.text).join(' ')).to.match(
        /Your appointment on .* \(Chicago time\) was cancelled by the clinic: Dr\. Lee is unwell/,
      );
      expect(before.items.map((i) => i.text)).to.include(
        'The clinic did not book your appointment request: Please see your own clinician first',
      );
      await mountRecordPage<RecordPage>('mcl-appointments-page', P, { clinic: demoClinic });
      expect((await news(vault, P, 'America/Chicago')).items).to.have.length(0);
    });
    after(() => close());

    it('lists upcoming visits with who, where and what to bring; past ones link to visit summaries; axe clean', async () => {
      const el = await mountRecordPage<RecordPage>('mcl-appointments-page', P, { clinic: demoClinic });
      const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
      expect(text)
        .to.contain('Upcoming (1)')
        .and.contain('Follow-up visit with Dr. Ana Lee')
        .and.contain('100 Main Street, Rochester')
        .and.contain('Before you come: Bring your medicines.');
      expect(text).to.contain('Past (1)').and.contain('Status: Attended').and.contain('Cancelled (3)');
      expect(
        el.shadowRoot!.querySelector('ul[aria-label="Cancelled visits"]')!.textContent!.replace(/\s+/g, ' '),
      ).to.contain('Status: Cancelled');
      expect(text)
        .to.contain('Your requests (2)')
        .and.contain('Days that suit you: Monday, November 30 – Friday, December 4 · mornings')
        .and.contain('Status: Waiting for the clinic to choose a time.');
      expect(text).to.contain('Status: Not booked by the clinic: Please see your own clinician first');
      expect(text).to.contain('Not sent: All the days asked for have passed.');
      expect(el.shadowRoot!.querySelector('button[aria-label^="Add to calendar"]')).to.exist;
      expect(el.shadowRoot!.querySelector('a[href="/appointments/book?reschedule=up"]')).to.exist;
      expect(el.shadowRoot!.querySelector('a[href="/records/visits"]')).to.exist;
      await expect(el).to.be.accessible();
    });

    it('a refused request goes back into the request form to be changed: nothing written is lost', async () => {
      const el = await mountRecordPage<RecordPage>('mcl-appointments-page', P, { clinic: demoClinic });
      const change = [...el.shadowRoot!.querySelectorAll('button')].find(
        (b) => b.textContent === 'Change and send again',
      )!;
      change.click();
      for (let i = 0; i < 50 && (await vault.outboxItems()).length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await vault.outboxItems()).to.have.length(0);
      expect(await vault.draft(draftKey(REQUEST_PAGE, 'reason'))).to.equal('Flu shot');
      expect(await vault.draft(draftKey(REQUEST_PAGE, 'earliest'))).to.equal('2026-11-02');
    });
  });

  it('a visit can be changed online until the cut-off before it, not at it or after (the server’s rule)', () => {
    const clinic = { ...demoClinic, booking: { changeCutoffHours: 24 } };
    const a = visit('a', '2026-12-08T15:00:00.000Z');
    expect(changeWindow(a, clinic, Date.parse('2026-12-07T15:00:00.000Z'))).to.deep.equal({
      until: '2026-12-07T15:00:00.000Z',
      open: true,
    });
    expect(changeWindow(a, clinic, Date.parse('2026-12-07T15:00:01.000Z'))!.open).to.equal(false);
    expect(changeWindow(a, demoClinic), 'rule not known yet').to.equal(undefined);
    expect(deadlineText('2026-12-08T15:00:00.000Z', 'America/Chicago')).to.equal('Tue, Dec 8, 9:00 AM Chicago time');
  });

  it('finds the patient’s own clinician in the record: the GP, else the care team, else the latest visit’s', () => {
    const gp = 'Practitioner/demo-dr-helen-park';
    const team: CareTeam = {
      resourceType: 'CareTeam',
      status: 'active',
      participant: [{ member: { reference: `Patient/${P}` } }, { member: { reference: 'Practitioner/np-liu' } }],
    };
    const seen = (id: string, start: string, who: string): Encounter => ({
      resourceType: 'Encounter',
      id,
      status: 'finished',
      class: { code: 'AMB' },
      period: { start },
      participant: [{ individual: { reference: who } }],
    });
    const visits = [
      seen('e1', '2019-01-01T10:00:00Z', 'Practitioner/old'),
      seen('e2', '2020-05-27T05:40:19Z', 'Practitioner/recent'),
    ];
    // The demo clinic's records name a GP and a care team; Synthea's name only who saw the patient.
    expect(
      ownClinicians({ resourceType: 'Patient', generalPractitioner: [{ reference: gp }] }, [team], visits),
    ).to.deep.equal([gp, 'Practitioner/np-liu', 'Practitioner/recent']);
    expect(ownClinicians({ resourceType: 'Patient' }, [], visits)).to.deep.equal(['Practitioner/recent']);
  });

  describe('what can be changed online, said up front (real vault)', () => {
    const clinic = { ...demoClinic, booking: { changeCutoffHours: 24 } };
    const near = new Date(Date.now() + 5 * 3600_000).toISOString();
    let close: () => Promise<void>;
    before(async () => {
      ({ close } = await openTestRecord(`${DB}-rules`, P, (v) =>
        v.put(P, [{ resourceType: 'Patient', id: P }, visit('later', soon), visit('near', near)]),
      ));
    });
    after(() => close());

    it('each upcoming visit says until when it can be changed online and whom to call; inside the cut-off only the number', async () => {
      const el = await mountRecordPage<RecordPage>('mcl-appointments-page', P, { clinic });
      const cards = [...el.shadowRoot!.querySelectorAll<HTMLElement>('li.card')];
      const later = cards.find((c) => c.querySelector('a[href$="reschedule=later"]'))!;
      const until = deadlineText(new Date(Date.parse(soon) - 24 * 3600_000).toISOString(), 'America/Chicago');
      expect(later.textContent!.replace(/\s+/g, ' ')).to.contain(
        `You can change or cancel this online until ${until}; after that, call +1 507-555-0100.`,
      );
      expect(later.querySelector('a[href="tel:+15075550100"]')).to.exist;
      expect(later.querySelector('button[aria-label^="Cancel:"]')).to.exist;
      const inside = cards.find((c) => c !== later)!;
      expect(inside.textContent!.replace(/\s+/g, ' ')).to.contain('It is too late to change or cancel this online');
      expect(inside.querySelector('a[href="tel:+15075550100"]')!.textContent).to.equal('+1 507-555-0100');
      expect(inside.querySelector('a[href*="reschedule"]'), 'no "Change the time"').to.equal(null);
      expect(inside.querySelector('button[aria-label^="Cancel:"]'), 'no "Cancel"').to.equal(null);
      expect(inside.querySelector('button[aria-label^="Add to calendar"]')).to.exist;
      await expect(el).to.be.accessible();
    });
  });

  describe('past visits from the record (real vault, no connection)', () => {
    const encounter = (id: string, start: string, type: string, extra: Partial<Encounter> = {}): Encounter => ({
      resourceType: 'Encounter',
      id,
      status: 'finished',
      class: { code: 'AMB' },
      type: [{ text: type }],
      period: { start, end: start },
      participant: [{ individual: { reference: 'Practitioner/demo-dr-helen-park', display: 'Dr. Helen Park, MD' } }],
      serviceProvider: { display: 'Mayocarelink Demo Clinic' },
      ...extra,
    });
    let close: () => Promise<void>;
    const realFetch = window.fetch;
    before(async () => {
      // Read from the local record only: the API is not there.
      window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
      ({ close } = await openTestRecord(`${DB}-past`, P, (v) =>
        v.put(P, [
          { resourceType: 'Patient', id: P },
          visit('attended', '2024-05-01T14:00:00Z', 'fulfilled'),
          visit('off', '2026-01-01T15:00:00Z', 'cancelled'),
          encounter('e-old', '2020-03-17T05:40:19Z', 'Encounter for symptom', { participant: [] }),
          encounter('e-new', '2025-01-10T15:00:00Z', 'Encounter for check up'),
          // The visit the portal booked, as the clinic's system recorded it: listed once, not twice.
          encounter('e-attended', '2024-05-01T14:05:00Z', 'Office visit', {
            appointment: [{ reference: 'Appointment/attended' }],
          }),
          encounter('e-planned', '2031-01-01T15:00:00Z', 'Planned visit', { status: 'planned' }),
        ]),
      ));
    });
    after(async () => {
      window.fetch = realFetch;
      await close();
    });

    it('lists the record’s visits and past appointments under Past, newest first; cancelled ones apart', async () => {
      const el = await mountRecordPage<RecordPage>('mcl-appointments-page', P, { clinic: demoClinic });
      const root = el.shadowRoot!;
      const titles = [...root.querySelectorAll('ul[aria-label="Past visits"] > li h3')].map((h) =>
        h.textContent!.replace(/\s+/g, ' ').trim(),
      );
      expect(titles).to.deep.equal([
        'Encounter for check up',
        'Follow-up visit with Dr. Ana Lee',
        'Encounter for symptom',
      ]);
      const text = root.textContent!.replace(/\s+/g, ' ');
      expect(text).to.contain('Past (3)').and.contain('Cancelled (1)');
      expect(text).to.contain('With Dr. Helen Park, MD, at Mayocarelink Demo Clinic');
      expect(text).to.contain('Friday, January 10, 2025');
      expect(text).not.to.contain('Planned visit');
      await expect(el).to.be.accessible();
    });
  });
});
