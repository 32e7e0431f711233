import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/log.js';
import { createTestApp, type TestApp } from '../testing/app.js';
import { caller, insertGrant, PASSWORD, seedCareFamily, setGrantScopes, signIn } from '../testing/caregivers.js';
import { clinicianSession } from '../testing/staff-session.js';
import type { Account } from '../auth/sessions.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { putResources } from '../store/resources.js';
import { withTransaction } from '../store/store.js';
import { onBehalfOf } from '../../common/on-behalf.js';

// What a caregiver gets and leaves behind ([3/11] phase 2): the people list, the feed cut to their scopes, a key per
// person, and what they write named as written for the patient.

type Json = Record<string, any>;

describe('acting as a caregiver: people, a feed cut to the scopes, a key per person, written on behalf', () => {
  let now = new Date('2026-11-25T12:00:00Z');
  const cookies: Record<string, string> = {};
  let t: TestApp;
  let people: Record<string, Account>;

  const send = async (method: string, path: string, who: string, body?: Json) => {
    const res = await t.app.request(path, {
      method,
      headers: {
        Origin: t.config.publicOrigin,
        [CSRF_HEADER]: CSRF_HEADER_VALUE,
        Cookie: cookies[who] ?? '',
        ...(body ? { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const feed = (who: string, patient = 'pat-ada', since = 0) =>
    send('GET', `/api/records/feed?patient=${patient}&since=${since}`, who);
  const typesOf = (body: Json) => [...new Set(body.changes.map((c: Json) => c.type))].sort();

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    const store = t.testStore.store;
    people = await seedCareFamily(t, caller(t, cookies), cookies, now);
    // Bea is also the guardian of Kit (12 on 26 November), set up by the care team.
    await insertGrant(
      store,
      {
        id: 'g-kit',
        patientId: 'pat-kit',
        caregiver: people.bea!,
        scopes: ['records', 'appointments', 'messages'],
        kind: 'guardian',
      },
      now,
    );
    cookies.drlee = await clinicianSession(t, 'drlee', PASSWORD, now);
    await withTransaction(store, (trx) =>
      putResources(
        trx,
        store.dialect,
        [
          {
            resourceType: 'Observation',
            id: 'obs-ada',
            status: 'final',
            code: { text: 'HbA1c' },
            subject: { reference: 'Patient/pat-ada' },
          },
          {
            resourceType: 'Binary',
            id: 'bin-doc',
            contentType: 'application/pdf',
            securityContext: { reference: 'Patient/pat-ada' },
            data: 'JVBERg==',
          },
          {
            resourceType: 'DocumentReference',
            id: 'doc-ada',
            status: 'current',
            subject: { reference: 'Patient/pat-ada' },
            content: [{ attachment: { url: 'Binary/bin-doc' } }],
          },
          {
            resourceType: 'Binary',
            id: 'bin-msg',
            contentType: 'image/png',
            securityContext: { reference: 'Patient/pat-ada' },
            data: 'iVBORw==',
          },
          {
            resourceType: 'Communication',
            id: 'msg-ada',
            status: 'completed',
            subject: { reference: 'Patient/pat-ada' },
            sender: { reference: 'Patient/pat-ada' },
            payload: [
              { contentString: 'See the picture' },
              { contentAttachment: { url: 'Binary/bin-msg', contentType: 'image/png' } },
            ],
          },
          {
            resourceType: 'MedicationRequest',
            id: 'med-ada',
            status: 'active',
            intent: 'order',
            subject: { reference: 'Patient/pat-ada' },
            medicationCodeableConcept: { text: 'Lisinopril 10 mg' },
          },
          {
            resourceType: 'Appointment',
            id: 'appt-ada',
            status: 'booked',
            start: '2027-01-10T15:00:00Z',
            participant: [{ actor: { reference: 'Patient/pat-ada' }, status: 'accepted' }],
          },
          {
            resourceType: 'Appointment',
            id: 'appt-kit',
            status: 'booked',
            start: '2027-01-11T15:00:00Z',
            participant: [{ actor: { reference: 'Patient/pat-kit' }, status: 'accepted' }],
          },
          {
            resourceType: 'Observation',
            id: 'obs-kit',
            status: 'final',
            code: { text: 'Height' },
            subject: { reference: 'Patient/pat-kit' },
          },
        ],
        now,
      ),
    );
  });
  after(() => t.close());

  it('lists the own record, then each live grant with what it allows today', async () => {
    const bea = (await send('GET', '/api/records/patients', 'bea')).body.patients;
    assert.deepEqual(bea, [
      {
        id: 'pat-bea',
        name: 'Bea Stone',
        self: true,
        as: 'self',
        scopes: ['records', 'appointments', 'messages', 'refills'],
      },
      {
        id: 'pat-kit',
        name: 'Kit Stone',
        self: false,
        as: 'guardian',
        scopes: ['records', 'appointments', 'messages'],
        grantId: 'g-kit',
      },
    ]);
    await setGrantScopes(t.testStore.store, 'g-cal', ['messages']);
    assert.deepEqual((await send('GET', '/api/records/patients', 'cal')).body.patients, [
      { id: 'pat-ada', name: 'Ada Lovelace', self: false, as: 'caregiver', scopes: ['messages'], grantId: 'g-cal' },
    ]);
    // Revoked, expired: not listed. A grant with nothing left: not listed either.
    assert.deepEqual((await send('GET', '/api/records/patients', 'rev')).body.patients, []);
    assert.deepEqual((await send('GET', '/api/records/patients', 'exp')).body.patients, []);
    await setGrantScopes(t.testStore.store, 'g-cal', []);
    assert.deepEqual((await send('GET', '/api/records/patients', 'cal')).body.patients, []);
    assert.deepEqual((await send('GET', '/api/records/patients', 'drlee')).body.patients, []);
  });

  it('gives a caregiver only what their scopes cover, and the cursor still moves past the rest', async () => {
    const full = (await feed('ada')).body;
    assert.deepEqual(typesOf(full), [
      'Appointment',
      'Binary',
      'Communication',
      'DocumentReference',
      'MedicationRequest',
      'Observation',
      'Patient',
    ]);
    await setGrantScopes(t.testStore.store, 'g-cal', ['messages']);
    const messages = (await feed('cal')).body;
    assert.deepEqual(typesOf(messages), ['Binary', 'Communication', 'Patient']);
    assert.deepEqual(
      messages.changes.filter((c: Json) => c.type === 'Binary').map((c: Json) => c.id),
      ['bin-msg'],
    );
    assert.equal(messages.next, full.next);
    assert.equal(messages.done, true);
    await setGrantScopes(t.testStore.store, 'g-cal', ['records']);
    const records = (await feed('cal')).body;
    assert.deepEqual(typesOf(records), ['Binary', 'DocumentReference', 'MedicationRequest', 'Observation', 'Patient']);
    assert.deepEqual(
      records.changes.filter((c: Json) => c.type === 'Binary').map((c: Json) => c.id),
      ['bin-doc'],
    );
    await setGrantScopes(t.testStore.store, 'g-cal', ['refills']);
    assert.deepEqual(typesOf((await feed('cal')).body), ['MedicationRequest', 'Patient']);
    await setGrantScopes(t.testStore.store, 'g-cal', ['appointments']);
    assert.deepEqual(typesOf((await feed('cal')).body), ['Appointment', 'Patient']);
    // Nothing new: an empty page, and no access-log entry for a poll.
    const before = await reads();
    const poll = (await feed('cal', 'pat-ada', full.next)).body;
    assert.deepEqual(poll.changes, []);
    assert.equal(await reads(), before);
  });

  const reads = async () =>
    (await t.testStore.store.db.selectFrom('audit_log').select('seq').where('action', '=', 'record.read').execute())
      .length;

  it('puts a caregiver’s reads in the patient’s access log, by the caregiver for the patient', async () => {
    const rows = await t.testStore.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'record.read')
      .execute();
    assert.ok(rows.length >= 4);
    assert.ok(rows.every((r) => r.actor === people.cal!.id && r.on_behalf_of === 'pat-ada'));
    const db = t.testStore.store.db;
    await appendAudit(
      db,
      { actor: people.cal!.id, onBehalfOf: 'pat-ada', action: 'record.read', outcome: 'success', ip: '203.0.113.9' },
      now,
    );
    await appendAudit(
      db,
      { actor: people.ada!.id, onBehalfOf: 'pat-ada', action: 'record.view', outcome: 'success', ip: '198.51.100.7' },
      now,
    );
    const seen = await send('GET', '/api/audit', 'ada');
    assert.ok(
      seen.body.entries.some((e: Json) => e.action === 'record.read'),
      JSON.stringify(seen.body).slice(0, 500),
    );
    // Where the caregiver was is not the patient's to see; her own entries keep theirs.
    const ips = seen.body.entries.map((e: Json) => e.ip).filter(Boolean);
    assert.ok(ips.includes('198.51.100.7'), JSON.stringify(ips));
    assert.ok(!ips.includes('203.0.113.9'), JSON.stringify(ips));
  });

  it('hands a caregiver a key of their own for each person, random per grant, never their own key', async () => {
    const own = (await send('GET', '/api/records/vault-key', 'bea')).body.key;
    assert.equal((await send('GET', '/api/records/vault-key?patient=pat-bea', 'bea')).body.key, own);
    const kit = (await send('GET', '/api/records/vault-key?patient=pat-kit', 'bea')).body.key;
    assert.match(kit, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(kit, own);
    // The same key at every request while the grant lasts (the copy keeps opening), kept with the grant only.
    assert.equal((await send('GET', '/api/records/vault-key?patient=pat-kit', 'bea')).body.key, kit);
    const stored = await t.testStore.store.db
      .selectFrom('caregiver_grant')
      .select('vault_key')
      .where('caregiver_account_id', '=', people.bea!.id)
      .where('patient_id', '=', 'pat-kit')
      .executeTakeFirstOrThrow();
    assert.equal(stored.vault_key, kit);
    // Nothing of the account's own key derives it: another caregiver of Ada has another key.
    const calOwn = (await send('GET', '/api/records/vault-key', 'cal')).body.key;
    const cal = (await send('GET', '/api/records/vault-key?patient=pat-ada', 'cal')).body.key;
    assert.notEqual(cal, calOwn);
    assert.notEqual(cal, createHmac('sha256', calOwn).update('caregiver-vault:pat-ada').digest('base64url'));
    for (const who of ['rev', 'exp', 'oth', 'drlee']) {
      const res = await send('GET', '/api/records/vault-key?patient=pat-ada', who);
      assert.equal(res.status, 404, who);
      assert.equal(res.body.error, 'not_found');
    }
  });

  it('stores a caregiver’s message and refill request as theirs for the patient; the care team sees sentBy', async () => {
    await setGrantScopes(t.testStore.store, 'g-cal', ['messages', 'refills', 'appointments']);
    const sent = await send('POST', '/api/messages', 'cal', {
      patientId: 'pat-ada',
      recipient: 'department:primary-care',
      subject: 'For my mother',
      body: 'Could you call her?',
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const message = sent.body.message;
    assert.equal(message.sender.reference, 'Patient/pat-ada');
    assert.equal(message.sender.display, 'Ada Lovelace');
    assert.deepEqual(onBehalfOf(message), { name: 'Cal Carer', accountId: people.cal!.id });
    const view = await send('GET', `/api/staff/messages/${sent.body.thread}`, 'drlee');
    assert.equal(view.status, 200);
    assert.deepEqual(view.body.messages[0].sentBy, { name: 'Cal Carer' });
    assert.equal(view.body.messages[0].sender, 'Ada Lovelace');

    const refill = await send('POST', '/api/refills', 'cal', {
      medicationRequestId: 'med-ada',
      pharmacy: 'Main Street',
    });
    assert.equal(refill.status, 201, JSON.stringify(refill.body));
    assert.deepEqual(refill.body.task.requester, { type: 'RelatedPerson', display: 'Cal Carer' });
    assert.equal(onBehalfOf(refill.body.task)?.name, 'Cal Carer');
    const queue = await send('GET', '/api/staff/refills', 'drlee');
    assert.deepEqual(queue.body.requests.find((r: Json) => r.id === refill.body.task.id).sentBy, { name: 'Cal Carer' });

    const cancelled = await send('POST', '/api/appointments/appt-ada/cancel', 'cal', {});
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(onBehalfOf(cancelled.body.appointment)?.name, 'Cal Carer');
    assert.equal(cancelled.body.appointment.cancelationReason.text, 'Cancelled by Cal Carer');

    const asked = await send('POST', '/api/appointments/requests', 'cal', {
      patientId: 'pat-ada',
      reason: 'Check-up',
      earliest: '2026-12-01',
      latest: '2026-12-14',
      timeOfDay: 'any',
    });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const requests = await send('GET', '/api/staff/appointments/requests', 'drlee');
    assert.deepEqual(requests.body.requests.find((r: Json) => r.id === asked.body.appointment.id).sentBy, {
      name: 'Cal Carer',
    });

    const audit = await t.testStore.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'in', ['message.sent', 'refill.requested', 'appointment.cancelled'])
      .where('actor', '=', people.cal!.id)
      .execute();
    assert.equal(audit.length, 3);
    assert.ok(audit.every((a) => a.on_behalf_of === 'pat-ada'));
  });

  it('narrows a guardian at the child’s birthday: the care team and the young person decide', async () => {
    assert.deepEqual(typesOf((await feed('bea', 'pat-kit')).body), ['Appointment', 'Observation', 'Patient']);
    now = new Date('2026-11-26T12:00:00Z'); // Kit is 12 in Chicago; a day later, Bea signs in again
    await signIn(caller(t, cookies), cookies, 'bea');
    const res = await send('GET', '/api/messages/recipients?patient=pat-kit', 'bea');
    assert.equal(res.status, 403);
    assert.equal(res.body.scope, 'messages');
    assert.match(res.body.message, /Kit Stone is now old enough .* care team/);
    assert.deepEqual(typesOf((await feed('bea', 'pat-kit')).body), ['Appointment', 'Patient']);
    assert.deepEqual((await send('GET', '/api/records/patients', 'bea')).body.patients[1].scopes, ['appointments']);
    now = new Date('2026-11-25T12:00:00Z');
  });
});
