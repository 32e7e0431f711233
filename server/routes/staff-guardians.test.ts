import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { loadAccess } from '../auth/record-access.js';
import { verifyAuditLog } from '../audit/log.js';
import { putResources } from '../store/resources.js';
import { withTransaction } from '../store/store.js';
import { staffMember } from '../testing/staff-session.js';
import { caller, linkToken, mailTo, PASSWORD, seedPeople, signIn } from '../testing/caregivers.js';
import { sharingList } from '../caregivers/views.js';
import { CURRENT_GUARDIAN_ATTESTATION } from '../../common/caregiver-consent.js';

const GUS_PASSWORD = 'marble heron quietly sketches';
const attestation = CURRENT_GUARDIAN_ATTESTATION.version;

/**
 * Guardians of minors ([3/11]) from the staff side: the care team sets one up for a child (Kit, 12 on 26 November
 * 2026 in the clinic's zone, America/Chicago), the guardian activates it with the mailed code, and the age rules of
 * the demo clinic (narrowed to appointments from 12, ended at 18) apply at each request as the clock moves.
 */
describe('staff: guardians of minors, set up with an activation code; the age rules over time', () => {
  let t: TestApp;
  let now = new Date('2026-11-25T12:00:00Z');
  const cookies: Record<string, string> = {};
  let call: ReturnType<typeof caller>;
  let grantId: string;

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    call = caller(t, cookies);
    await seedPeople(t.testStore.store, now);
    await withTransaction(t.testStore.store, (trx) =>
      putResources(
        trx,
        t.testStore.store.dialect,
        [
          {
            resourceType: 'Patient',
            id: 'pat-nodate',
            name: [{ given: ['Noa'], family: 'Blank' }],
            identifier: [{ type: { coding: [{ code: 'MR' }] }, value: 'MRN-777' }],
          },
        ],
        now,
      ),
    );
    cookies.desk = await staffMember(t, 'desk', 'helpdesk', PASSWORD, now);
    cookies.drlee = await staffMember(t, 'drlee', 'clinician', PASSWORD, now);
    await signIn(call, cookies, 'ada');
  });
  after(() => t.close());

  it('looks a child up by id or MRN for staff only, audited; unknown ones are 404', async () => {
    const found = await call('GET', '/api/staff/guardians?patient=pat-kit', undefined, 'desk');
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.deepEqual(
      [found.body.patient.name, found.body.patient.age, found.body.patient.stage, found.body.guardians],
      ['Kit Stone', 11, 'child', []],
    );
    assert.equal(found.body.attestation.version, attestation);
    assert.match(found.body.rules.text, /From age 12, you may only see and book appointments/);
    assert.equal(
      (await call('GET', '/api/staff/guardians?patient=MRN-777', undefined, 'drlee')).body.patient.id,
      'pat-nodate',
    );
    assert.equal((await call('GET', '/api/staff/guardians?patient=nobody', undefined, 'desk')).status, 404);
    assert.equal((await call('GET', '/api/staff/guardians?patient=pat-kit', undefined, 'ada')).status, 403);
    const audit = await t.testStore.store.db
      .selectFrom('audit_log')
      .select(['action', 'on_behalf_of'])
      .where('action', '=', 'staff.guardians.view')
      .execute();
    assert.ok(audit.some((a) => a.on_behalf_of === 'pat-kit'));
  });

  it('refuses an adult, a record without a birth date, a missing attestation and an unknown patient, with reasons', async () => {
    const add = (patient: string, extra: Record<string, unknown> = {}) =>
      call(
        'POST',
        '/api/staff/guardians',
        { patient, name: 'Gus Stone', email: 'gus@example.com', attestation, ...extra },
        'desk',
      );
    const adult = await add('pat-bea');
    assert.deepEqual([adult.status, adult.body.error], [409, 'not_a_minor']);
    assert.match(adult.body.message, /Bea Stone is 36 .* ends at 18/);
    const nodate = await add('MRN-777');
    assert.deepEqual([nodate.status, nodate.body.error], [409, 'no_birth_date']);
    assert.deepEqual((await add('nobody')).status, 404);
    assert.equal((await add('pat-kit', { attestation: 'guardian-0' })).status, 409);
    assert.equal((await add('pat-kit', { attestation: undefined })).status, 400);
    assert.equal((await add('pat-kit', { scopes: ['everything'] })).status, 400);
    // Giving someone access to a child's record is a sensitive change: a sign-in older than five minutes is asked again.
    now = new Date(now.getTime() + 10 * 60_000);
    assert.deepEqual((await add('pat-kit')).body.error, 'reauth_required');
    now = new Date('2026-11-25T12:00:00Z');
    assert.equal(
      (
        await call(
          'POST',
          '/api/staff/guardians',
          { patient: 'pat-kit', name: 'X', email: 'x@example.com', attestation },
          'ada',
        )
      ).status,
      403,
    );
  });

  it('sets a guardian up: the code is mailed and answered once; a second for the same address is refused', async () => {
    const made = await call(
      'POST',
      '/api/staff/guardians',
      { patient: 'pat-kit', name: 'Gus Stone', email: 'Gus@Example.com', attestation },
      'desk',
    );
    assert.equal(made.status, 201, JSON.stringify(made.body));
    grantId = made.body.guardian.id;
    const { code, link } = made.body.activation;
    assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    assert.equal(link, `${t.config.publicOrigin}/caregiver-invite#token=${code}`);
    assert.deepEqual(
      [made.body.guardian.kind, made.body.guardian.state, made.body.guardian.scopes],
      ['guardian', 'invited', ['records', 'appointments', 'messages', 'refills']],
    );
    const mail = await mailTo(t.config.dataDir, 'gus@example.com', /Your access to Kit Stone/);
    assert.equal(linkToken(mail), code);
    assert.match(mail.text, /parent or guardian/);
    assert.match(mail.text, /From age 12, you may only see and book appointments/);
    const stored = await t.testStore.store.db
      .selectFrom('one_time_token')
      .select('hash')
      .where('purpose', '=', 'caregiver-invite')
      .execute();
    assert.ok(
      stored.every((r) => r.hash !== code && !r.hash.includes(code)),
      'only the hash is kept',
    );

    const again = await call(
      'POST',
      '/api/staff/guardians',
      { patient: 'pat-kit', name: 'Gus', email: 'gus@example.com', attestation },
      'drlee',
    );
    assert.deepEqual([again.status, again.body.error], [409, 'already_guardian']);

    // The preview says it is a guardian's and what they attest; the code may be typed in lower case without dashes.
    const preview = await call('POST', '/api/caregiver/invitation', { token: code.toLowerCase().replace(/-/g, '') });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.deepEqual([preview.body.kind, preview.body.patientName], ['guardian', 'Kit Stone']);
    assert.equal(preview.body.attestation.text, CURRENT_GUARDIAN_ATTESTATION.guardian);

    const signUp = (username: string) =>
      call('POST', '/api/caregiver/invitation/sign-up', {
        token: code,
        username,
        password: GUS_PASSWORD,
        name: 'Gus Stone',
      });
    const first = await signUp('gus');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const second = await signUp('gus2');
    assert.deepEqual([second.status, second.body.error], [410, 'link_used']);

    const consents = await t.testStore.store.db
      .selectFrom('caregiver_consent')
      .select(['text_version', 'accepted_by'])
      .where('grant_id', '=', grantId)
      .orderBy('seq')
      .execute();
    const ids = await t.testStore.store.db.selectFrom('account').select(['id', 'username']).execute();
    const who = (id: string) => ids.find((a) => a.id === id)?.username;
    assert.deepEqual(
      consents.map((c) => [c.text_version, who(c.accepted_by)]),
      [
        [attestation, 'desk'],
        [attestation, 'gus'],
      ],
      'the care team attested, then the guardian',
    );
    const listed = await call('GET', '/api/staff/guardians?patient=pat-kit', undefined, 'drlee');
    assert.deepEqual(
      listed.body.guardians.map((g: any) => [g.name, g.state, g.acceptedBy.email]),
      [['Gus Stone', 'active', 'gus@example.com']],
    );
  });

  it('applies the age rules at every request, by the child’s birthday in the clinic’s time zone', async () => {
    const gus = await t.testStore.store.db
      .selectFrom('account')
      .selectAll()
      .where('username', '=', 'gus')
      .executeTakeFirstOrThrow();
    const at = async (iso: string) => {
      now = new Date(iso);
      await signIn(call, cookies, 'gus', GUS_PASSWORD);
      const people = await call('GET', '/api/caregiver/people', undefined, 'gus');
      assert.equal(people.status, 200);
      const decide = async (scope: 'records' | 'appointments') =>
        loadAccess(t.testStore.store.db, { account: gus, patientId: 'pat-kit', scope, now }, t.config.clinic);
      return {
        people: people.body.people.map((p: any) => [p.name, p.scopes.join(','), p.narrowedByAge]),
        records: await decide('records'),
        appointments: (await decide('appointments')).allowed,
      };
    };
    // 11 until midnight in Chicago, although the 26th has begun in UTC.
    const eleven = await at('2026-11-26T05:59:00Z');
    assert.deepEqual(eleven.people, [['Kit Stone', 'records,appointments,messages,refills', false]]);
    assert.equal(eleven.records.allowed, true);
    // From the 12th birthday: only what CLINIC_CONFIG narrows to.
    const twelve = await at('2026-11-26T06:00:00Z');
    assert.deepEqual(twelve.people, [['Kit Stone', 'appointments', true]]);
    assert.deepEqual(
      [twelve.records.allowed, !twelve.records.allowed && twelve.records.reason, twelve.appointments],
      [false, 'age', true],
    );
    const seventeen = await at('2032-11-26T05:59:00Z');
    assert.deepEqual(seventeen.people, [['Kit Stone', 'appointments', true]]);
    // From 18: nothing, and the care team sees why.
    const eighteen = await at('2032-11-26T06:00:00Z');
    assert.deepEqual(eighteen.people, []);
    assert.deepEqual([eighteen.records.allowed, eighteen.appointments], [false, false]);
    const [entry] = await sharingList(t.testStore.store.db, 'pat-kit', now, t.config.clinic);
    assert.deepEqual([entry!.state, entry!.allowedNow], ['ended-by-age', []], 'the lists say why');
    now = new Date('2026-11-25T12:00:00Z');
  });

  it('the care team ends a guardian’s access (step-up, audited, both told); a patient cannot', async () => {
    assert.equal((await call('DELETE', `/api/sharing/${grantId}`, undefined, 'ada')).status, 404);
    await signIn(call, cookies, 'gus', GUS_PASSWORD);
    assert.equal((await call('GET', '/api/caregiver/people', undefined, 'gus')).body.people.length, 1);
    const ended = await call('DELETE', `/api/staff/guardians/${grantId}`, undefined, 'desk');
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    assert.equal(ended.body.guardian.state, 'revoked');
    assert.deepEqual((await call('GET', '/api/caregiver/people', undefined, 'gus')).body.people, []);
    await mailTo(t.config.dataDir, 'gus@example.com', /Your access for Kit Stone has ended/);
    assert.equal((await call('DELETE', `/api/staff/guardians/${grantId}`, undefined, 'desk')).status, 409);
    assert.equal(
      (await call('DELETE', '/api/staff/guardians/00000000-0000-4000-8000-000000000000', undefined, 'desk')).status,
      404,
    );
    const actions = await t.testStore.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('target', '=', `grant:${grantId}`)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      actions.map((a) => a.action),
      ['caregiver.guardian-added', 'caregiver.signed-up', 'caregiver.accepted', 'caregiver.guardian-ended'],
    );
    assert.equal((await verifyAuditLog(t.testStore.store.db)).ok, true);
  });
});
