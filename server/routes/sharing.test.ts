import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { storeFactories } from '../testing/stores.js';
import { loadAccess, type AccessDecision } from '../auth/record-access.js';
import { verifyAuditLog } from '../audit/log.js';
import { waitForMail } from '../testing/mail.js';
import { caller, insertAcceptedGrant, linkToken, seedPeople, signIn as signInAs } from '../testing/caregivers.js';
import { CURRENT_CAREGIVER_CONSENT } from '../../common/caregiver-consent.js';
import type { Account } from '../auth/sessions.js';

const CAL_PASSWORD = 'lantern orchard velvet pebble';
type Json = Record<string, any>;

const reasonOf = (d: AccessDecision) => (d.allowed ? 'allowed' : d.reason);

for (const factory of storeFactories)
  describe(`sharing a record with caregivers on ${factory.name}`, () => {
    let t: TestApp;
    let now = new Date('2026-11-25T12:00:00Z');
    const cookies: Record<string, string> = {};
    let call: ReturnType<typeof caller>;
    let people: Record<string, Account>;
    let mailCount = 0;
    let calGrant: string;
    let beaGrant: string;
    /** The mails sent since the last look, waiting for `count` of them. */
    const newMail = async (count: number) => {
      const mails = await waitForMail(t.config.dataDir, mailCount + count);
      const fresh = mails.slice(mailCount);
      mailCount = mails.length;
      assert.equal(fresh.length, count, fresh.map((m) => `${m.to}: ${m.subject}`).join('\n'));
      return fresh;
    };
    const signIn = (who: string, password?: string) => signInAs(call, cookies, who, password);
    const invite = (body: Json, who = 'ada') => call('POST', '/api/sharing', body, who);
    const access = async (accountId: string, scope: 'records' | 'appointments' | 'messages' | 'refills') => {
      const account = await t.testStore.store.db
        .selectFrom('account')
        .selectAll()
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      return loadAccess(t.testStore.store.db, { account, patientId: 'pat-ada', scope, now }, t.config.clinic);
    };
    const valid = {
      email: 'Cal@Example.com',
      name: 'Cal',
      scopes: ['messages', 'records'],
      endsOn: '2027-06-30',
      consentVersion: CURRENT_CAREGIVER_CONSENT.version,
    };

    before(async () => {
      t = await createTestApp({ clock: { now: () => now }, testStore: await factory.open() });
      call = caller(t, cookies);
      people = await seedPeople(t.testStore.store, now);
      await signIn('ada');
      await signIn('bea');
    });
    after(() => t.close());

    it('refuses bad invitations with a reason per field', async () => {
      const bad = async (body: Json, paths: string[], status = 400) => {
        const res = await invite(body);
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.deepEqual(
          res.body.issues?.map((i: Json) => i.path),
          paths,
          JSON.stringify(res.body),
        );
        assert.match(res.body.message, /\w/);
        return res.body;
      };
      await bad({ ...valid, scopes: [] }, ['scopes']);
      await bad({ ...valid, scopes: ['records', 'billing'] }, ['scopes.1']);
      await bad({ ...valid, email: 'not an address', name: '' }, ['email', 'name']);
      await bad({ ...valid, endsOn: '2027-02-30' }, ['endsOn']);
      assert.match((await bad({ ...valid, endsOn: '2026-11-24' }, ['endsOn'])).message, /today or a later day/);
      await bad({ ...valid, email: 'ada@example.com' }, ['email']);
      await bad({ ...valid, admin: true }, ['(body)']);
      const { consentVersion: _c, ...noConsent } = valid;
      await bad(noConsent, ['consentVersion']);
      const old = await invite({ ...valid, consentVersion: '0' });
      assert.equal(old.status, 409);
      assert.equal(old.body.error, 'consent_outdated');
      assert.match(old.body.message, /consent text has changed/);
      const cal = await call('GET', '/api/sharing', undefined, 'ada');
      assert.deepEqual(cal.body.caregivers, [], 'nothing was stored');
    });

    it('invites by mail, and a caregiver makes their own account from the single-use link', async () => {
      const res = await invite(valid);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      calGrant = res.body.caregiver.id;
      assert.equal(res.body.caregiver.state, 'invited');
      assert.deepEqual(res.body.caregiver.scopes, ['records', 'messages']);
      assert.equal(res.body.caregiver.endsOn, '2027-06-30');
      assert.equal(res.body.caregiver.endsAt, '2027-07-01T05:00:00.000Z', 'the end of the last day in Chicago');
      assert.equal((await invite(valid)).body.error, 'already_invited');

      const [toPatient, toCal] = [...(await newMail(2))].sort((a) => (a.to === 'ada@example.com' ? -1 : 1));
      assert.equal(toCal!.to, 'cal@example.com');
      assert.match(toCal!.subject, /Ada Lovelace invited you/);
      assert.match(toCal!.text, /read your health record and read and write messages, until the end of 2027-06-30/);
      assert.match(toPatient!.subject, /You invited a caregiver/);
      const token = linkToken(toCal!);

      const preview = await call('POST', '/api/caregiver/invitation', { token });
      assert.equal(preview.status, 200);
      assert.deepEqual(
        { ...preview.body, expiresAt: undefined },
        {
          patientName: 'Ada Lovelace',
          invitedName: 'Cal',
          invitedEmail: 'cal@example.com',
          kind: 'caregiver',
          scopes: ['records', 'messages'],
          endsOn: '2027-06-30',
          expiresAt: undefined,
        },
      );
      assert.equal(preview.body.expiresAt, '2026-12-02T12:00:00.000Z', 'seven days');

      const signUp = (body: Json) => call('POST', '/api/caregiver/invitation/sign-up', { token, ...body });
      const weak = await signUp({ username: 'cal', password: 'short' });
      assert.equal(weak.status, 400);
      assert.ok(weak.body.issues.every((i: Json) => i.path === 'password'));
      assert.equal((await signUp({ username: 'ada', password: CAL_PASSWORD })).body.error, 'username_taken');
      assert.equal((await signUp({ username: 'c', password: CAL_PASSWORD })).status, 400);
      const made = await signUp({ username: 'cal', password: CAL_PASSWORD, name: 'Cal Jones' });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.match(made.body.message, /read your health record and read and write messages for Ada Lovelace/);
      const again = await signUp({ username: 'cal2', password: CAL_PASSWORD });
      assert.equal(again.status, 410);
      assert.equal(again.body.error, 'link_used');
      assert.equal((await call('POST', '/api/caregiver/invitation', { token })).status, 410);

      const mails = await newMail(2);
      assert.ok(mails.some((m) => m.to === 'ada@example.com' && /Cal can now help/.test(m.subject)));
      assert.ok(mails.some((m) => m.to === 'cal@example.com' && /You can now help Ada Lovelace/.test(m.subject)));

      // The normal sign-in follows; with no second factor yet the page sends them to /account/protect.
      const session = await signIn('cal', CAL_PASSWORD);
      assert.equal(session.account.kind, 'patient');
      assert.equal(session.account.patientId, null);
      assert.equal(session.account.email, 'cal@example.com');
      assert.equal(session.secured, false);
      const list = await call('GET', '/api/caregiver/people', undefined, 'cal');
      assert.deepEqual(list.body.people, [
        {
          grantId: calGrant,
          patientId: 'pat-ada',
          name: 'Ada Lovelace',
          kind: 'caregiver',
          scopes: ['records', 'messages'],
          narrowedByAge: false,
          endsOn: '2027-06-30',
          endsAt: '2027-07-01T05:00:00.000Z',
          since: now.toISOString(),
        },
      ]);
      const cal = list.body.people[0];
      assert.ok(cal);
      people.cal = (await t.testStore.store.db
        .selectFrom('account')
        .selectAll()
        .where('username', '=', 'cal')
        .executeTakeFirstOrThrow()) as Account;
      assert.deepEqual(await access(people.cal.id, 'records'), { allowed: true, as: 'caregiver', grantId: calGrant });
      assert.deepEqual(await access(people.cal.id, 'appointments'), {
        allowed: false,
        reason: 'scope',
        missingScope: 'appointments',
        grantId: calGrant,
      });
      assert.equal((await call('GET', '/api/sharing', undefined, 'cal')).body.error, 'no_record');
    });

    it('shows the patient each caregiver, what they may do, until when, and the consent they accepted', async () => {
      const list = await call('GET', '/api/sharing', undefined, 'ada');
      assert.equal(list.status, 200);
      assert.equal(list.body.consentVersion, CURRENT_CAREGIVER_CONSENT.version);
      const [cal] = list.body.caregivers;
      assert.equal(cal.state, 'active');
      assert.deepEqual(cal.acceptedBy, { name: 'Cal Jones', email: 'cal@example.com' });
      assert.deepEqual(cal.allowedNow, ['records', 'messages']);
      assert.equal(cal.changeable, true);
      assert.deepEqual(cal.consent, {
        version: CURRENT_CAREGIVER_CONSENT.version,
        acceptedAt: '2026-11-25T12:00:00.000Z',
        scopes: ['records', 'messages'],
        current: true,
      });
    });

    it('accepts into an account that already exists, whatever its address; not into the patient’s own', async () => {
      const res = await invite({ ...valid, email: 'bea.work@example.com', name: 'Bea', scopes: ['appointments'] });
      beaGrant = res.body.caregiver.id;
      const token = linkToken((await newMail(2)).find((m) => m.to === 'bea.work@example.com')!);
      assert.equal((await call('POST', '/api/caregiver/invitation/accept', { token })).status, 401);
      assert.equal((await call('POST', '/api/caregiver/invitation/accept', { token }, 'ada')).body.error, 'own_record');
      const accepted = await call('POST', '/api/caregiver/invitation/accept', { token }, 'bea');
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.equal(accepted.body.invitedEmail, 'bea.work@example.com');
      assert.equal(accepted.body.person.name, 'Ada Lovelace');
      assert.deepEqual(accepted.body.person.scopes, ['appointments']);
      const mails = await newMail(2);
      assert.ok(mails.some((m) => m.to === 'ada@example.com' && /with the account of bea@example.com/.test(m.text)));
      assert.ok(mails.some((m) => m.to === 'bea@example.com'));
      // Bea still reads her own record as herself, and Ada's appointments as a caregiver.
      const bea = people.bea!;
      assert.deepEqual(
        await loadAccess(
          t.testStore.store.db,
          { account: bea, patientId: 'pat-bea', scope: 'records', now },
          t.config.clinic,
        ),
        { allowed: true, as: 'self' },
      );
      assert.equal((await access(bea.id, 'appointments')).allowed, true);
      assert.equal((await call('POST', '/api/caregiver/invitation/accept', { token }, 'bea')).status, 410);
    });

    it('a withdrawn invitation cannot be accepted', async () => {
      const res = await invite({ ...valid, email: 'dan@example.com', name: 'Dan' });
      const token = linkToken((await newMail(2)).find((m) => m.to === 'dan@example.com')!);
      const gone = await call('DELETE', `/api/sharing/${res.body.caregiver.id}`, undefined, 'ada');
      assert.equal(gone.status, 200);
      assert.equal(gone.body.caregiver.state, 'revoked');
      assert.match(gone.body.message, /invitation to dan@example.com is withdrawn/);
      assert.match((await newMail(1))[0]!.subject, /You withdrew your invitation to Dan/);
      const refused = await call('POST', '/api/caregiver/invitation/accept', { token }, 'bea');
      assert.equal(refused.status, 410);
      assert.equal(refused.body.error, 'invitation_withdrawn');
    });

    it('narrowing counts at the very next decision; adding a scope asks for consent again', async () => {
      const narrowed = await call('PATCH', `/api/sharing/${calGrant}`, { scopes: ['records'] }, 'ada');
      assert.equal(narrowed.status, 200, JSON.stringify(narrowed.body));
      assert.equal(reasonOf(await access(people.cal!.id, 'messages')), 'scope');
      assert.deepEqual((await call('GET', '/api/caregiver/people', undefined, 'cal')).body.people[0].scopes, [
        'records',
      ]);
      const mails = await newMail(2);
      assert.ok(mails.some((m) => m.to === 'cal@example.com' && /you may now read your health record/.test(m.text)));

      const wider = await call('PATCH', `/api/sharing/${calGrant}`, { scopes: ['records', 'refills'] }, 'ada');
      assert.equal(wider.status, 400);
      assert.equal(wider.body.error, 'consent_required');
      assert.equal(
        (await call('PATCH', `/api/sharing/${calGrant}`, { scopes: ['refills'], consentVersion: '0' }, 'ada')).status,
        409,
      );
      const ok = await call(
        'PATCH',
        `/api/sharing/${calGrant}`,
        { scopes: ['records', 'refills'], endsOn: null, consentVersion: CURRENT_CAREGIVER_CONSENT.version },
        'ada',
      );
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body.caregiver.consent.scopes, ['records', 'refills']);
      assert.equal(ok.body.caregiver.endsOn, null);
      assert.equal((await access(people.cal!.id, 'refills')).allowed, true);
      await newMail(2);
      const same = await call('PATCH', `/api/sharing/${calGrant}`, { scopes: ['refills', 'records'] }, 'ada');
      assert.equal(same.body.message, 'Nothing changed.');
      assert.equal((await call('PATCH', `/api/sharing/${calGrant}`, {}, 'ada')).status, 400);
      assert.equal((await call('PATCH', `/api/sharing/${calGrant}`, { scopes: ['records'] }, 'bea')).status, 404);
      assert.equal((await call('PATCH', '/api/sharing/no-such-grant', { scopes: ['records'] }, 'ada')).status, 404);
    });

    it('asks for a recent sign-in before inviting, changing or ending access; listing does not', async () => {
      now = new Date(now.getTime() + 6 * 60_000);
      assert.equal((await call('POST', '/api/session/keepalive', {}, 'ada')).status, 200);
      assert.equal((await invite({ ...valid, email: 'eve@example.com' })).body.error, 'reauth_required');
      assert.equal(
        (await call('PATCH', `/api/sharing/${calGrant}`, { scopes: ['records'] }, 'ada')).body.error,
        'reauth_required',
      );
      assert.equal((await call('DELETE', `/api/sharing/${calGrant}`, undefined, 'ada')).body.error, 'reauth_required');
      assert.equal((await call('GET', '/api/sharing', undefined, 'ada')).status, 200);
      await signIn('ada');
    });

    it('revoking counts at the very next decision, and both sides are told', async () => {
      assert.equal((await access(people.cal!.id, 'records')).allowed, true);
      const res = await call('DELETE', `/api/sharing/${calGrant}`, undefined, 'ada');
      assert.equal(res.status, 200);
      assert.deepEqual(await access(people.cal!.id, 'records'), {
        allowed: false,
        reason: 'revoked',
        grantId: calGrant,
      });
      assert.deepEqual((await call('GET', '/api/caregiver/people', undefined, 'cal')).body.people, []);
      const mails = await newMail(2);
      assert.ok(mails.some((m) => m.to === 'cal@example.com' && /Ada Lovelace ended your access/.test(m.subject)));
      assert.ok(mails.some((m) => m.to === 'ada@example.com' && /You ended Cal’s access/.test(m.subject)));
      assert.equal((await call('DELETE', `/api/sharing/${calGrant}`, undefined, 'ada')).body.error, 'grant_ended');
      assert.equal(
        (await call('DELETE', `/api/caregiver/people/${calGrant}`, undefined, 'cal')).status,
        404,
        'a revoked grant cannot be left',
      );
    });

    it('a caregiver may leave', async () => {
      const res = await call('DELETE', `/api/caregiver/people/${beaGrant}`, undefined, 'bea');
      assert.equal(res.status, 200);
      assert.match(res.body.message, /no longer have access for Ada Lovelace/);
      assert.equal(reasonOf(await access(people.bea!.id, 'appointments')), 'revoked');
      const mails = await newMail(2);
      assert.ok(mails.some((m) => m.to === 'ada@example.com' && /Bea gave up their access/.test(m.subject)));
      const list = (await call('GET', '/api/sharing', undefined, 'ada')).body.caregivers as Json[];
      assert.equal(list.find((g) => g.id === beaGrant)!.state, 'left');
      assert.equal(list.find((g) => g.id === calGrant)!.state, 'revoked');
      assert.equal(list.find((g) => g.id === calGrant)!.changeable, false);
    });

    it('a guardian’s access follows the child’s age on the clinic’s calendar', async () => {
      await insertAcceptedGrant(
        t.testStore.store,
        { id: 'grant-kit', patientId: 'pat-kit', holder: people.bea!, kind: 'guardian', name: 'Bea Stone' },
        ['records', 'appointments', 'messages'],
        now,
      );
      const kit = async () => (await call('GET', '/api/caregiver/people', undefined, 'bea')).body.people as Json[];
      assert.deepEqual((await kit())[0]!.scopes, ['records', 'appointments', 'messages']);
      now = new Date('2026-11-26T05:59:00Z'); // 23:59 on the 25th in Chicago: eleven still
      await signIn('bea');
      assert.equal((await kit())[0]!.narrowedByAge, false);
      now = new Date('2026-11-26T06:00:00Z'); // midnight in Chicago: twelve
      const [narrowed] = await kit();
      assert.deepEqual(narrowed!.scopes, ['appointments']);
      assert.equal(narrowed!.narrowedByAge, true);
    });

    it('an invitation expires after seven days', async () => {
      await signIn('ada');
      const res = await invite({ ...valid, email: 'fay@example.com', name: 'Fay', endsOn: undefined });
      assert.equal(res.status, 201);
      const token = linkToken((await newMail(2)).find((m) => m.to === 'fay@example.com')!);
      now = new Date(now.getTime() + 7 * 24 * 3600_000);
      const late = await call('POST', '/api/caregiver/invitation', { token });
      assert.equal(late.status, 410);
      assert.equal(late.body.error, 'link_expired');
      assert.match(late.body.message, /7 days/);
      await signIn('ada');
      const list = (await call('GET', '/api/sharing', undefined, 'ada')).body.caregivers as Json[];
      assert.equal(list.find((g) => g.id === res.body.caregiver.id)!.state, 'invitation-expired');
    });

    it('records all of it in an audit chain that still verifies', async () => {
      const verdict = await verifyAuditLog(t.testStore.store.db);
      assert.ok(verdict.ok && verdict.entries > 10, JSON.stringify(verdict));
      const actions = (
        await t.testStore.store.db
          .selectFrom('audit_log')
          .select('action')
          .where('action', 'like', 'caregiver.%')
          .execute()
      ).map((r) => r.action);
      for (const a of [
        'caregiver.invited',
        'caregiver.signed-up',
        'caregiver.accepted',
        'caregiver.changed',
        'caregiver.revoked',
        'caregiver.left',
      ])
        assert.ok(actions.includes(a), a);
      const tokens = await t.testStore.store.db
        .selectFrom('one_time_token')
        .select(['hash', 'payload'])
        .where('purpose', '=', 'caregiver-invite')
        .execute();
      assert.ok(
        tokens.every((r) => /^[0-9a-f]{64}$/.test(r.hash) && !r.payload!.includes('token')),
        'only hashes',
      );
    });
  });
