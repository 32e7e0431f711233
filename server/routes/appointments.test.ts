import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createTestApp, type TestApp } from '../testing/app.js';
import { storeFactories } from '../testing/stores.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { importFile } from '../fhir/import.js';
import { sharedFiles } from '../testing/fhir-data.js';
import { listChanges } from '../store/changes.js';
import { staffPasskeySession } from '../testing/staff-session.js';
import { readOutbox } from '../testing/mail.js';
import { addSlots, saveSchedule, saveVisitType } from '../appointments/scheduling.js';
import { runReminders } from '../appointments/reminders.js';
import { createMailer } from '../notify/mailer.js';
import { createSmsSender } from '../notify/sms.js';
import { createLogger } from '../log.js';

const PASSWORD = 'correct horse battery staple';
const ZONE = 'America/Chicago';
type Json = Record<string, any>;

for (const factory of storeFactories)
  describe(`appointments on ${factory.name}: book, race, move, cancel, remind once`, () => {
    let t: TestApp;
    const start = new Date('2026-11-25T12:00:00Z'); // a Wednesday, 6 am in Chicago
    // The clock seam: the app reads the time from here; a test may move it (and puts it back).
    let now = start;
    const cookies: Record<string, string> = {};
    const ids: Record<string, string> = {};
    let slots: Json[] = [];

    const call = async (
      method: string,
      path: string,
      who: string,
      body?: unknown,
      extra: Record<string, string> = {},
    ) => {
      const res = await t.app.request(path, {
        method,
        headers: {
          Origin: t.config.publicOrigin,
          [CSRF_HEADER]: CSRF_HEADER_VALUE,
          Cookie: cookies[who] ?? '',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...extra,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    let keys = 0;
    const book = (slotId: string, who = 'reyna') =>
      call(
        'POST',
        '/api/appointments',
        who,
        { patientId: ids[who], slotId },
        { 'Idempotency-Key': `booking-${++keys}-${who}` },
      );
    const bookings = () => t.testStore.store.db.selectFrom('slot_booking').selectAll().execute();
    const signIn = async (username: string) => {
      const res = await t.app.request('/api/session', {
        method: 'POST',
        headers: {
          Origin: t.config.publicOrigin,
          [CSRF_HEADER]: CSRF_HEADER_VALUE,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ login: username, password: PASSWORD }),
      });
      return res.headers.get('set-cookie')!.split(';')[0]!;
    };
    const latest = async (patient: string, id: string) =>
      (await listChanges(t.testStore.store.db, patient, 0, 50_000)).filter((c) => c.id === id).at(-1)!.resource as Json;

    before(async () => {
      t = await createTestApp({
        clock: { now: () => now },
        testStore: await factory.open(),
        env: { APPOINTMENT_REMINDERS: '7d,1d' },
      });
      const { db } = t.testStore.store;
      const hash = await hashPassword(PASSWORD);
      for (const [username, match] of [
        ['reyna', 'Reyna_Ziemann'],
        ['margery', 'Margery'],
      ] as const) {
        ids[username] = (
          await importFile(
            t.testStore.store,
            sharedFiles('patients').find((f) => f.includes(match))!,
            { now },
          )
        ).patients[0]!;
        const a = await createAccount(
          db,
          {
            kind: 'patient',
            username,
            email: `${username}@example.com`,
            displayName: username,
            passwordHash: hash,
            patientId: ids[username],
          },
          now,
        );
        await db
          .updateTable('account')
          .set({
            email_verified_at: now.toISOString(),
            notify_prefs: JSON.stringify({ appointmentReminder: { email: true, text: false } }),
          })
          .where('id', '=', a.id)
          .execute();
        cookies[username] = await signIn(username);
      }
      for (const [username, role] of [
        ['drlee', 'clinician'],
        ['boss', 'admin'],
      ] as const) {
        const a = await createAccount(
          db,
          {
            kind: 'staff',
            username,
            email: `${username}@clinic.example`,
            displayName: username,
            role,
            passwordHash: hash,
          },
          now,
        );
        await db.updateTable('account').set({ email_verified_at: now.toISOString() }).where('id', '=', a.id).execute();
        cookies[username] = await staffPasskeySession(t, username, PASSWORD);
      }
      await saveVisitType(
        db,
        {
          id: 'follow-up',
          name: 'Follow-up visit',
          minutes: 20,
          bookableOnline: true,
          instructions: 'Bring your medicines.',
        },
        now,
      );
      await saveVisitType(
        db,
        { id: 'annual', name: 'Annual physical', minutes: 40, bookableOnline: true, instructions: '' },
        now,
      );
      await saveVisitType(
        db,
        { id: 'procedure', name: 'Minor procedure', minutes: 60, bookableOnline: false, instructions: '' },
        now,
      );
      await saveSchedule(
        db,
        {
          id: 'dr-lee',
          kind: 'clinician',
          name: 'Dr. Ana Lee',
          practitionerRef: 'Practitioner/dr-ana-lee',
          department: 'Primary care',
          locationName: 'Main Street Clinic',
          locationAddress: '100 Main Street',
        },
        now,
      );
      await addSlots(
        db,
        'dr-lee',
        {
          visitTypeId: 'follow-up',
          from: '2026-11-25',
          to: '2026-12-10',
          weekdays: [1, 2, 3, 4, 5],
          start: '09:00',
          end: '10:00',
        },
        ZONE,
        now,
      );
      await saveSchedule(
        db,
        {
          id: 'cardio',
          kind: 'department',
          name: 'Cardiology',
          department: 'Cardiology',
          locationName: 'Heart Center',
          locationAddress: '200 First Avenue',
        },
        now,
      );
      await addSlots(
        db,
        'cardio',
        { visitTypeId: 'follow-up', from: '2026-12-02', to: '2026-12-02', weekdays: [3], start: '09:00', end: '09:20' },
        ZONE,
        now,
      );
      await addSlots(
        db,
        'dr-lee',
        { visitTypeId: 'annual', from: '2026-12-01', to: '2026-12-01', weekdays: [2], start: '13:00', end: '13:40' },
        ZONE,
        now,
      );
      await addSlots(
        db,
        'dr-lee',
        { visitTypeId: 'procedure', from: '2026-11-30', to: '2026-11-30', weekdays: [1], start: '13:00', end: '14:00' },
        ZONE,
        now,
      );
    });
    after(() => t.close());

    it('offers the visit types patients may book, and free times in the clinic zone', async () => {
      const options = await call('GET', '/api/appointments/options', 'reyna');
      assert.deepEqual(
        options.body.visitTypes.map((v: Json) => v.id),
        ['annual', 'follow-up'],
      );
      const found = await call('GET', '/api/appointments/slots?visitType=follow-up', 'reyna');
      slots = found.body.slots;
      assert.equal(slots[0]!.start, '2026-11-26T15:00:00.000Z', '9:00 in Chicago, the first day past the cut-off');
      assert.equal(slots[0]!.schedule.address, '100 Main Street');
      assert.equal(slots[0]!.schedule.practitioner, 'Practitioner/dr-ana-lee', 'so the page can put her first');
      assert.equal(options.body.schedules.find((s: Json) => s.id === 'dr-lee').practitioner, 'Practitioner/dr-ana-lee');
      assert.equal((await call('GET', '/api/appointments/slots?visitType=procedure', 'reyna')).status, 403);
      assert.equal((await call('GET', '/api/appointments/slots', 'reyna')).status, 400);
    });

    it('books a time: an Appointment in the record, reminders planned, the same key answers the same', async () => {
      const slot = slots.find((s) => s.start === '2026-12-03T15:00:00.000Z')!;
      const res = await call(
        'POST',
        '/api/appointments',
        'reyna',
        { patientId: ids.reyna, slotId: slot.id },
        { 'Idempotency-Key': 'booking-first' },
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const a = res.body.appointment;
      assert.equal(a.status, 'booked');
      assert.equal(a.start, slot.start);
      assert.equal(a.patientInstruction, 'Bring your medicines.');
      assert.equal(a.contained[0].address.text, '100 Main Street');
      assert.equal((await latest(ids.reyna!, a.id)).status, 'booked');
      const again = await call(
        'POST',
        '/api/appointments',
        'reyna',
        { patientId: ids.reyna, slotId: slot.id },
        { 'Idempotency-Key': 'booking-first' },
      );
      assert.equal(again.body.appointment.id, a.id);
      const reminders = await t.testStore.store.db
        .selectFrom('reminder')
        .selectAll()
        .where('appointment_id', '=', a.id)
        .execute();
      assert.deepEqual(reminders.map((r) => r.lead).sort(), ['1d', '7d']);
      assert.deepEqual(reminders.map((r) => r.due_at).sort(), ['2026-11-26T15:00:00.000Z', '2026-12-02T15:00:00.000Z']);
      ids.first = a.id;
    });

    it('holds online booking to the cut-off: nothing sooner is offered, booked or moved to; the rule reaches the page', async () => {
      const soon = await t.testStore.store.db
        .selectFrom('slot')
        .select('id')
        .where('start_at', '=', '2026-11-25T15:00:00.000Z')
        .executeTakeFirstOrThrow();
      const refused = await book(soon.id);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error, 'too_soon');
      assert.match(refused.body.message, /less than 24 hours away .*call \+1 507-555-0100/);
      const move = await call(
        'POST',
        `/api/appointments/${ids.first}/reschedule`,
        'reyna',
        { slotId: soon.id },
        { 'Idempotency-Key': 'move-too-soon' },
      );
      assert.equal(move.body.error, 'too_soon');
      assert.equal((await latest(ids.reyna!, ids.first!)).start, '2026-12-03T15:00:00.000Z', 'not moved');
      assert.ok(!(await bookings()).some((b) => b.slot_id === soon.id));
      const clinic = (await (await t.app.request('/clinic.json')).json()) as Json;
      assert.deepEqual(clinic.booking, { changeCutoffHours: 24 }, 'in the clinic settings the page keeps offline');
      // Today's 9:00 is three hours away: not offered, even when the page asks for today.
      const today = await call('GET', '/api/appointments/slots?visitType=follow-up&from=2026-11-25', 'reyna');
      assert.ok(today.body.slots.length > 0);
      assert.ok(
        today.body.slots.every((s: Json) => Date.parse(s.start) >= now.getTime() + 24 * 3600_000),
        today.body.slots[0].start,
      );
    });

    it('a move keeps the kind of visit: a time for another kind is refused, the visit stays', async () => {
      const annual = (await call('GET', '/api/appointments/slots?visitType=annual', 'reyna')).body.slots[0];
      assert.equal(annual.visitType.id, 'annual');
      const move = await call(
        'POST',
        `/api/appointments/${ids.first}/reschedule`,
        'reyna',
        { slotId: annual.id },
        { 'Idempotency-Key': 'move-other-kind' },
      );
      assert.equal(move.status, 422, JSON.stringify(move.body));
      assert.equal(move.body.error, 'other_visit_type');
      assert.match(move.body.message, /keeps the kind of visit \(Follow-up visit\)/);
      const kept = await latest(ids.reyna!, ids.first!);
      assert.deepEqual([kept.start, kept.appointmentType.text], ['2026-12-03T15:00:00.000Z', 'Follow-up visit']);
      assert.ok(!(await bookings()).some((b) => b.slot_id === annual.id));
    });

    it('20 concurrent attempts on one time make exactly one booking', async () => {
      const slot = slots.find((s) => s.start === '2026-12-04T15:20:00.000Z')!;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => book(slot.id, i % 2 ? 'margery' : 'reyna')),
      );
      assert.equal(results.filter((r) => r.status === 201).length, 1, results.map((r) => r.status).join(','));
      assert.ok(
        results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.error === 'slot_taken'),
      );
      assert.equal((await bookings()).filter((b) => b.slot_id === slot.id).length, 1);
      assert.ok(
        !(await call('GET', '/api/appointments/slots?visitType=follow-up', 'reyna')).body.slots.some(
          (s: Json) => s.id === slot.id,
        ),
        'no longer offered',
      );
    });

    it("refuses a time in the past, one already taken, one the clinic books, and another patient's changes", async () => {
      await t.testStore.store.db
        .insertInto('slot')
        .values({
          id: 'yesterday',
          schedule_id: 'dr-lee',
          visit_type_id: 'follow-up',
          start_at: '2026-11-24T15:00:00.000Z',
          end_at: '2026-11-24T15:20:00.000Z',
          created_at: now.toISOString(),
        })
        .execute();
      assert.equal((await book('yesterday')).body.error, 'slot_past');
      const taken = (await bookings())[0]!.slot_id;
      assert.equal((await book(taken, 'margery')).body.error, 'slot_taken');
      const procedure = await t.testStore.store.db
        .selectFrom('slot')
        .select('id')
        .where('visit_type_id', '=', 'procedure')
        .executeTakeFirstOrThrow();
      assert.equal((await book(procedure.id)).status, 403);
      assert.equal(
        (
          await call(
            'POST',
            '/api/appointments',
            'margery',
            { patientId: ids.reyna, slotId: slots[5]!.id },
            { 'Idempotency-Key': 'booking-foreign' },
          )
        ).status,
        404,
      );
      const foreign = await call('POST', `/api/appointments/${ids.first}/cancel`, 'margery', {});
      const missing = await call('POST', '/api/appointments/nope/cancel', 'margery', {});
      assert.equal(foreign.status, 404);
      assert.deepEqual(foreign.body, missing.body);
      const denied = await t.testStore.store.db
        .selectFrom('audit_log')
        .select('target')
        .where('action', '=', 'appointment.access-denied')
        .execute();
      assert.equal(denied.length, 3);
      assert.equal((await latest(ids.reyna!, ids.first!)).status, 'booked');
    });

    it('reschedules in one step; a taken new time changes nothing; a race for the new time has one winner', async () => {
      const next = slots.find((s) => s.start === '2026-12-07T15:00:00.000Z')!;
      const oldSlot = (await bookings()).find((b) => b.appointment_id === ids.first)!.slot_id;
      const taken = (await bookings()).find((b) => b.appointment_id !== ids.first)!.slot_id;
      const refused = await call(
        'POST',
        `/api/appointments/${ids.first}/reschedule`,
        'reyna',
        { slotId: taken },
        { 'Idempotency-Key': 'move-0001' },
      );
      assert.equal(refused.body.error, 'slot_taken');
      assert.equal(
        (await bookings()).find((b) => b.appointment_id === ids.first)!.slot_id,
        oldSlot,
        'the old time is still held',
      );
      assert.equal((await latest(ids.reyna!, ids.first!)).start, '2026-12-03T15:00:00.000Z');
      const moved = await call(
        'POST',
        `/api/appointments/${ids.first}/reschedule`,
        'reyna',
        { slotId: next.id },
        { 'Idempotency-Key': 'move-0002' },
      );
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal(moved.body.appointment.id, ids.first);
      assert.equal(moved.body.appointment.start, next.start);
      assert.deepEqual(
        (await bookings()).filter((b) => b.appointment_id === ids.first).map((b) => b.slot_id),
        [next.id],
      );
      assert.equal((await book(oldSlot, 'margery')).status, 201, 'the old time is free again');
      // A race: Reyna moves to a time while Margery books it. One wins; a lost move leaves Reyna's visit where it was.
      const contested = slots.find((s) => s.start === '2026-12-08T15:00:00.000Z')!;
      const [move, other] = await Promise.all([
        call(
          'POST',
          `/api/appointments/${ids.first}/reschedule`,
          'reyna',
          { slotId: contested.id },
          { 'Idempotency-Key': 'move-0003' },
        ),
        book(contested.id, 'margery'),
      ]);
      assert.equal(
        [move.status, other.status].filter((s) => s === 200 || s === 201).length,
        1,
        `${move.status} ${other.status}`,
      );
      const mine = (await bookings()).filter((b) => b.appointment_id === ids.first).map((b) => b.slot_id);
      assert.deepEqual(mine, [move.status === 200 ? contested.id : next.id]);
      const pending = await t.testStore.store.db
        .selectFrom('reminder')
        .selectAll()
        .where('appointment_id', '=', ids.first!)
        .where('state', '=', 'pending')
        .execute();
      assert.equal(pending.length, 2, 'reminders follow the new time (7d and 1d are both ahead now)');
    });

    it('cancels until the cut-off, releasing the time; after it, says to call', async () => {
      const tomorrow = slots.find((s) => s.start === '2026-11-26T15:00:00.000Z')!; // in 27 hours: bookable
      const booked = await book(tomorrow.id);
      assert.equal(booked.status, 201, JSON.stringify(booked.body));
      // Four hours later it is 23 hours away (a fresh sign-in: the morning's sessions have timed out meanwhile).
      now = new Date(start.getTime() + 4 * 3600_000);
      try {
        cookies.later = await signIn('reyna');
        const late = await call('POST', `/api/appointments/${booked.body.appointment.id}/cancel`, 'later', {});
        assert.equal(late.status, 409);
        assert.match(late.body.message, /less than 24 hours .* call/);
      } finally {
        now = start;
      }
      const cancel = await call('POST', `/api/appointments/${ids.first}/cancel`, 'reyna', { reason: 'Feeling better' });
      assert.equal(cancel.status, 200);
      assert.equal(cancel.body.appointment.status, 'cancelled');
      assert.equal((await bookings()).filter((b) => b.appointment_id === ids.first).length, 0);
      assert.equal((await latest(ids.reyna!, ids.first!)).cancelationReason.text, 'Feeling better');
      assert.equal(
        (
          await t.testStore.store.db
            .selectFrom('reminder')
            .selectAll()
            .where('appointment_id', '=', ids.first!)
            .where('state', '=', 'pending')
            .execute()
        ).length,
        0,
      );
      assert.equal(
        (await call('POST', `/api/appointments/${ids.first}/cancel`, 'reyna', {})).status,
        200,
        'cancelling again answers the same',
      );
    });

    it("staff see the day's schedule (audited) and cancel on the clinic's side; the patient is told", async () => {
      const day = await call('GET', '/api/staff/appointments/day?date=2026-11-26', 'drlee');
      assert.equal(day.status, 200);
      const booked = day.body.schedules[0].slots.find((s: Json) => s.booked);
      assert.match(booked.booked.patient.name, /Reyna/);
      assert.equal((await call('GET', '/api/staff/appointments/day?date=2026-11-26', 'reyna')).status, 403);
      assert.equal(
        (await call('POST', `/api/staff/appointments/${booked.booked.appointmentId}/cancel`, 'drlee', {})).status,
        400,
        'a reason is needed',
      );
      const cancelled = await call('POST', `/api/staff/appointments/${booked.booked.appointmentId}/cancel`, 'drlee', {
        reason: 'Dr. Lee is unwell',
      });
      assert.equal(cancelled.body.appointment.status, 'cancelled');
      assert.match(cancelled.body.appointment.cancelationReason.text, /Cancelled by the clinic: Dr. Lee is unwell/);
      let mails = await readOutbox(t.config.dataDir);
      for (let i = 0; i < 100 && !mails.some((m) => /A change to one of your appointments/.test(m.subject)); i++)
        mails = (await new Promise((r) => setTimeout(r, 30)), await readOutbox(t.config.dataDir));
      assert.ok(
        mails.some((m) => m.to === 'reyna@example.com' && /A change to one of your appointments/.test(m.subject)),
      );
      assert.equal(
        (
          await t.testStore.store.db
            .selectFrom('audit_log')
            .selectAll()
            .where('action', '=', 'staff.schedule.view')
            .execute()
        ).length,
        1,
      );
    });

    it('administrators manage visit types, schedules and times; clinicians may not', async () => {
      assert.equal((await call('GET', '/api/staff/appointments/scheduling', 'drlee')).status, 403);
      assert.equal(
        (
          await call('POST', '/api/staff/appointments/scheduling/visit-types', 'boss', {
            id: 'flu-shot',
            name: 'Flu shot',
            minutes: 10,
            bookableOnline: true,
            instructions: 'Wear a short-sleeved shirt.',
          })
        ).status,
        201,
      );
      assert.equal(
        (
          await call('POST', '/api/staff/appointments/scheduling/schedules/dr-lee/slots', 'boss', {
            visitTypeId: 'flu-shot',
            from: '2026-12-01',
            to: '2026-12-01',
            start: '09:00',
            end: '11:00',
          })
        ).body.added,
        6,
        'from 9:00 to 11:00, minus the hour of follow-ups it already has: six 10-minute times',
      );
      assert.equal(
        (
          await call('POST', '/api/staff/appointments/scheduling/schedules/nope/slots', 'boss', {
            visitTypeId: 'flu-shot',
            from: '2026-12-01',
            to: '2026-12-01',
            start: '09:00',
            end: '11:00',
          })
        ).status,
        404,
      );
      assert.equal(
        (
          await call('POST', '/api/staff/appointments/scheduling/visit-types', 'boss', {
            id: 'Bad Id',
            name: '',
            minutes: 0,
          })
        ).status,
        400,
      );
    });

    it('moves to another schedule at the same time, and back again (reminders for the same moment are kept once)', async () => {
      const lee = (
        await call('GET', '/api/appointments/slots?visitType=follow-up&schedule=dr-lee', 'reyna')
      ).body.slots.find((s: Json) => s.start === '2026-12-02T15:00:00.000Z');
      const cardio = (
        await call('GET', '/api/appointments/slots?visitType=follow-up&schedule=cardio', 'reyna')
      ).body.slots.find((s: Json) => s.start === '2026-12-02T15:00:00.000Z');
      const booked = await book(lee.id);
      assert.equal(booked.status, 201, JSON.stringify(booked.body));
      const id = booked.body.appointment.id;
      const there = await call(
        'POST',
        `/api/appointments/${id}/reschedule`,
        'reyna',
        { slotId: cardio.id },
        { 'Idempotency-Key': 'move-same-1' },
      );
      assert.equal(there.status, 200, JSON.stringify(there.body));
      const back = await call(
        'POST',
        `/api/appointments/${id}/reschedule`,
        'reyna',
        { slotId: lee.id },
        { 'Idempotency-Key': 'move-same-2' },
      );
      assert.equal(back.status, 200, JSON.stringify(back.body));
      const pending = await t.testStore.store.db
        .selectFrom('reminder')
        .select('lead')
        .where('appointment_id', '=', id)
        .where('state', '=', 'pending')
        .execute();
      assert.deepEqual(pending.map((r) => r.lead).sort(), ['1d', '7d']);
      assert.equal((await call('POST', `/api/appointments/${id}/cancel`, 'reyna', {})).status, 200);
    });

    it('an appointment request (written offline) reaches the care team once; they book a time or decline; the patient may withdraw', async () => {
      const ask = (body: Json, key: string) =>
        call('POST', '/api/appointments/requests', 'reyna', body, { 'Idempotency-Key': key });
      const body = {
        patientId: ids.reyna,
        reason: 'My knee hurts on the stairs',
        earliest: '2026-11-30',
        latest: '2026-12-04',
        timeOfDay: 'morning',
      };
      const first = await ask(body, 'request-1');
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.appointment.status, 'proposed');
      const again = await ask(body, 'request-1');
      assert.equal(again.body.appointment.id, first.body.appointment.id, 'sent twice from the outbox: one request');
      const bad = await ask({ ...body, latest: '2026-11-20' }, 'request-bad');
      assert.equal(bad.status, 422);
      assert.match(bad.body.message, /before the earliest/);
      assert.equal(
        (await ask({ ...body, patientId: ids.margery }, 'request-other')).status,
        404,
        "another patient's record",
      );
      assert.equal((await ask({ ...body, reason: '' }, 'request-empty')).status, 400);
      assert.equal((await ask({ ...body, latest: '9999-12-31' }, 'request-far')).status, 422, 'a last day years away');

      assert.equal((await call('GET', '/api/staff/appointments/requests', 'reyna')).status, 403);
      const queue = await call('GET', '/api/staff/appointments/requests', 'drlee');
      assert.equal(queue.body.requests.length, 1);
      const request = queue.body.requests[0];
      assert.match(request.patient.name, /Reyna/);
      assert.deepEqual(
        [request.reason, request.earliest, request.latest, request.preference],
        ['My knee hurts on the stairs', '2026-11-30', '2026-12-04', 'Preferred: mornings'],
      );
      // Times within the days asked for; the clinic may book a kind of visit patients cannot book themselves.
      const seen = await t.testStore.store.db
        .selectFrom('audit_log')
        .select(['on_behalf_of', 'target'])
        .where('action', '=', 'staff.appointment-request.view')
        .execute();
      assert.deepEqual(
        seen,
        [{ on_behalf_of: ids.reyna, target: `Appointment/${request.id}` }],
        'in her own access log',
      );
      const times = (
        await call('GET', `/api/staff/appointments/requests/${request.id}/slots?visitType=procedure`, 'drlee')
      ).body.slots;
      assert.deepEqual(
        times.map((s: Json) => s.start),
        ['2026-11-30T19:00:00.000Z'],
      );
      const booked = await call('POST', `/api/staff/appointments/requests/${request.id}/book`, 'drlee', {
        slotId: times[0].id,
      });
      assert.equal(booked.status, 200, JSON.stringify(booked.body));
      const visit = await latest(ids.reyna!, request.id);
      assert.deepEqual(
        [visit.status, visit.start, visit.reasonCode[0].text],
        ['booked', '2026-11-30T19:00:00.000Z', 'My knee hurts on the stairs'],
      );
      assert.ok((await bookings()).some((b) => b.slot_id === times[0].id && b.appointment_id === request.id));
      assert.equal(
        (await call('POST', `/api/staff/appointments/requests/${request.id}/book`, 'drlee', { slotId: times[0].id }))
          .status,
        404,
        'answered already',
      );
      assert.equal((await call('GET', '/api/staff/appointments/requests', 'drlee')).body.requests.length, 0);
      let mails = await readOutbox(t.config.dataDir);
      for (let i = 0; i < 100 && !mails.some((m) => /a time is booked/.test(m.subject)); i++)
        mails = (await new Promise((r) => setTimeout(r, 30)), await readOutbox(t.config.dataDir));
      assert.ok(
        mails.some((m) => m.to === 'reyna@example.com' && /a time is booked/.test(m.subject) && !/knee/i.test(m.text)),
      );

      const second = await ask({ ...body, reason: 'A second opinion' }, 'request-2');
      assert.equal(
        (await call('POST', `/api/staff/appointments/requests/${second.body.appointment.id}/decline`, 'drlee', {}))
          .status,
        400,
        'a reason is needed',
      );
      const declined = await call(
        'POST',
        `/api/staff/appointments/requests/${second.body.appointment.id}/decline`,
        'drlee',
        { reason: 'Please see your own clinician first' },
      );
      assert.equal(declined.body.appointment.status, 'cancelled');
      assert.equal(
        (await latest(ids.reyna!, second.body.appointment.id)).cancelationReason.text,
        'Not booked by the clinic: Please see your own clinician first',
      );

      const third = await ask({ ...body, reason: 'Changed my mind later' }, 'request-3');
      assert.equal(
        (await call('POST', `/api/appointments/${third.body.appointment.id}/cancel`, 'reyna', {})).body.appointment
          .cancelationReason.text,
        'Withdrawn by the patient',
      );
      const rows = await t.testStore.store.db
        .selectFrom('appointment_request')
        .select(['appointment_id', 'state'])
        .orderBy('created_at')
        .execute();
      assert.deepEqual(rows.map((r) => r.state).sort(), ['booked', 'declined', 'withdrawn']);
      assert.equal(
        (
          await call('POST', `/api/staff/appointments/requests/${third.body.appointment.id}/book`, 'drlee', {
            slotId: times[0].id,
          })
        ).status,
        404,
      );
      // The booked visit is an ordinary one: the patient may cancel it (and its reminders go).
      assert.equal((await call('POST', `/api/appointments/${request.id}/cancel`, 'reyna', {})).status, 200);
    });

    it('refuses ids that cannot be ids (a NUL, a slash) with a 4xx, before any query', async () => {
      assert.equal(
        (
          await call(
            'POST',
            '/api/appointments',
            'reyna',
            { patientId: ids.reyna, slotId: 'a\u0000b' },
            { 'Idempotency-Key': 'booking-nul' },
          )
        ).status,
        400,
      );
      assert.equal((await call('POST', '/api/appointments/a%00b/cancel', 'reyna', {})).status, 404);
      assert.equal((await call('GET', '/api/appointments/slots?visitType=follow%00up', 'reyna')).status, 400);
      assert.equal((await call('POST', '/api/staff/appointments/a%00b/cancel', 'drlee', { reason: 'x' })).status, 404);
      assert.equal(
        (
          await call(
            'POST',
            '/api/messages',
            'reyna',
            { patientId: 'a\u0000b', recipient: 'department:primary-care', subject: 'x', body: 'y' },
            { 'Idempotency-Key': 'message-nul' },
          )
        ).status,
        400,
      );
    });

    it('sends each reminder once, even with two runners at once and again after a restart', async () => {
      const slot = slots.find((s) => s.start === '2026-12-09T15:20:00.000Z')!;
      const booked = await book(slot.id, 'margery');
      assert.equal(booked.status, 201);
      const logger = createLogger('silent');
      const dir = mkdtempSync(join(tmpdir(), 'mcl-reminders-'));
      const mailer = createMailer({ from: t.config.mailFrom, outbox: join(dir, 'mail'), logger });
      const sms = createSmsSender({ outbox: join(dir, 'sms'), logger });
      const second = factory.name === 'postgres' ? await t.testStore.openAnother() : t.testStore.store;
      const deps = (store: typeof second) => ({ store, mailer, sms, config: t.config, logger });
      // Past both lead times of this visit; every other visit has been cancelled or has passed (its reminders dropped).
      const due = new Date('2026-12-08T16:00:00Z');
      const first = await Promise.all([
        runReminders(deps(t.testStore.store), 'runner-a', due),
        runReminders(deps(second), 'runner-b', due),
      ]);
      const again = await Promise.all([
        runReminders(deps(t.testStore.store), 'runner-a', new Date(due.getTime() + 60_000)),
        runReminders(deps(second), 'runner-b', new Date(due.getTime() + 60_000)),
      ]);
      // A restart: a new runner, later.
      const restarted = await runReminders(deps(t.testStore.store), 'runner-c', new Date(due.getTime() + 3600_000));
      if (second !== t.testStore.store) await second.close();
      assert.equal(first[0] + first[1], 2, `${first}`);
      assert.equal(again[0] + again[1] + restarted, 0);
      const mails = await readOutbox(dir);
      assert.equal(mails.length, 2, 'two reminders, each mailed once');
      assert.ok(
        mails.every(
          (m) =>
            m.to === 'margery@example.com' &&
            /Wednesday, December 9, 2026 at 9:20/.test(m.text) &&
            /Main Street Clinic, 100 Main Street/.test(m.text),
        ),
        mails[0]?.text,
      );
      assert.ok(
        mails.every((m) => !/Follow-up|Dr\. Ana Lee/.test(m.text)),
        'date, time and place only',
      );
      const rows = await t.testStore.store.db
        .selectFrom('reminder')
        .selectAll()
        .where('appointment_id', '=', booked.body.appointment.id)
        .execute();
      assert.deepEqual(
        rows.map((r) => r.state),
        ['sent', 'sent'],
      );
    });
  });
