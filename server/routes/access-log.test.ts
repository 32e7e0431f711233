import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { storeFactories } from '../testing/stores.js';
import { caller, insertAcceptedGrant, PASSWORD, seedPeople, signIn as signInAs } from '../testing/caregivers.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { appendAudit, verifyAuditLog, type AuditEvent } from '../audit/log.js';
import { auditGrant, grantDetail } from '../caregivers/grants.js';
import { CURRENT_CAREGIVER_CONSENT } from '../../common/caregiver-consent.js';
import type { Account } from '../auth/sessions.js';

type Json = Record<string, any>;

for (const factory of storeFactories)
  describe(`the patient's access log ("who has seen my record") on ${factory.name}`, () => {
    let t: TestApp;
    let now = new Date('2026-11-25T12:00:00Z');
    const cookies: Record<string, string> = {};
    let call: ReturnType<typeof caller>;
    let people: Record<string, Account>;
    const get = (path: string, who = 'ada') => call('GET', path, undefined, who);
    const audit = (event: AuditEvent, at: string) => appendAudit(t.testStore.store.db, event, new Date(at));

    before(async () => {
      t = await createTestApp({ clock: { now: () => now }, testStore: await factory.open() });
      call = caller(t, cookies);
      people = await seedPeople(t.testStore.store, now);
      const db = t.testStore.store.db;
      const hash = await hashPassword(PASSWORD);
      const account = async (username: string, displayName: string, kind: 'patient' | 'staff', role?: 'clinician') => {
        const a = await createAccount(
          db,
          { kind, patientId: null, role, username, email: `${username}@example.com`, displayName, passwordHash: hash },
          now,
        );
        await db.updateTable('account').set({ email_verified_at: now.toISOString() }).where('id', '=', a.id).execute();
        return a;
      };
      // The name Cal chose for their own account is not what the patient is shown: the name the patient gave is.
      people.cal = await account('cal', 'Dr. Cal (staff)', 'patient');
      people.gus = await account('gus', 'Gus', 'patient');
      people.doc = await account('doc', 'Dr. Ana Lee', 'staff', 'clinician');
      const grant = (id: string, holder: Account, kind: 'caregiver' | 'guardian', name: string) =>
        insertAcceptedGrant(t.testStore.store, { id, patientId: 'pat-ada', holder, kind, name }, ['records'], now);
      await grant('g-cal', people.cal, 'caregiver', 'Cal Ortiz');
      // A name a spreadsheet would run as a formula, with quotes in it.
      await grant('g-gus', people.gus, 'guardian', '-Gus "the" guardian');
      const ada = 'pat-ada';
      await audit(
        { actor: people.ada!.id, onBehalfOf: ada, action: 'record.download', outcome: 'success' },
        '2026-11-20T15:00:00Z',
      );
      await auditGrant(
        db,
        {
          actor: people.cal.id,
          grant: { id: 'g-cal', patient_id: ada },
          action: 'caregiver.accepted',
          ip: null,
          detail: grantDetail(['records', 'messages'], '2027-07-01T05:00:00.000Z'),
        },
        new Date('2026-11-20T16:00:00Z'),
      );
      await audit(
        { actor: people.cal.id, onBehalfOf: ada, action: 'record.read', outcome: 'success', target: 'Observation/o1' },
        '2026-11-21T15:00:00Z',
      );
      await audit(
        { actor: people.cal.id, onBehalfOf: ada, action: 'record.download', outcome: 'success' },
        '2026-11-21T16:00:00Z',
      );
      await audit(
        { actor: people.gus.id, onBehalfOf: ada, action: 'record.read', outcome: 'success' },
        '2026-11-22T03:00:00Z',
      );
      await audit(
        {
          actor: people.doc.id,
          onBehalfOf: ada,
          action: 'staff.message.view',
          outcome: 'success',
          target: 'Communication/c1',
        },
        '2026-11-22T15:00:00Z',
      );
      await audit(
        {
          actor: people.doc.id,
          onBehalfOf: ada,
          action: 'staff.refill.approve',
          outcome: 'success',
          target: 'Task/t1',
        },
        '2026-11-22T15:30:00Z',
      );
      // Bea's record: never in Ada's log. Bea's attempt on Ada's record: in it, without Bea's name.
      await audit(
        { actor: people.doc.id, onBehalfOf: 'pat-bea', action: 'record.view', outcome: 'success' },
        '2026-11-22T16:00:00Z',
      );
      await audit(
        { actor: people.bea!.id, onBehalfOf: 'pat-bea', action: 'record.download', outcome: 'success' },
        '2026-11-22T16:30:00Z',
      );
      await audit(
        { actor: people.bea!.id, action: 'record.access-denied', outcome: 'denied', target: `Patient/${ada}` },
        '2026-11-23T15:00:00Z',
      );
      await audit(
        { actor: people.bea!.id, action: 'record.access-denied', outcome: 'denied', target: `Patient/${ada}x` },
        '2026-11-23T15:01:00Z',
      );
      await audit(
        { actor: 'cli', onBehalfOf: ada, action: 'record.export', outcome: 'success' },
        '2026-11-24T15:00:00Z',
      );
      // Ada's sign-in: about her account, not her record.
      await signInAs(call, cookies, 'ada');
      await signInAs(call, cookies, 'bea');
      await signInAs(call, cookies, 'cal');
      // A real invitation and its withdrawal, through the Sharing API.
      now = new Date('2026-11-25T12:01:00Z');
      const invited = await call(
        'POST',
        '/api/sharing',
        {
          email: 'dan@example.com',
          name: 'Dan',
          scopes: ['records'],
          consentVersion: CURRENT_CAREGIVER_CONSENT.version,
        },
        'ada',
      );
      assert.equal(invited.status, 201, JSON.stringify(invited.body));
      now = new Date('2026-11-25T12:02:00Z');
      const revoked = await call('DELETE', `/api/sharing/${invited.body.caregiver.id}`, undefined, 'ada');
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    });
    after(() => t.close());

    it("lists, newest first, the patient's own reads, a caregiver's and a guardian's, staff's with role, the clinic's, grants and their end; never another patient's", async () => {
      const res = await get('/api/access-log');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const rows = (res.body.entries as Json[]).map(
        (e) => `${e.who.kind}|${e.who.name}|${e.who.role ?? ''}|${e.action}|${e.kind}|${e.outcome}`,
      );
      assert.deepEqual(rows, [
        'you|You||caregiver.revoked|sharing|success',
        'you|You||caregiver.invited|sharing|success',
        'clinic|The clinic||record.export|read|success',
        'someone|Another portal account||record.access-denied|read|denied',
        'staff|Dr. Ana Lee|Clinician|staff.refill.approve|change|success',
        'staff|Dr. Ana Lee|Clinician|staff.message.view|read|success',
        'guardian|-Gus "the" guardian||record.read|read|success',
        'caregiver|Cal Ortiz||record.download|read|success',
        'caregiver|Cal Ortiz||record.read|read|success',
        'caregiver|Cal Ortiz||caregiver.accepted|sharing|success',
        'you|You||record.download|read|success',
      ]);
      const entries = res.body.entries as Json[];
      assert.equal(entries.at(-1)!.what, 'Your record was copied to this app for use with no connection');
      assert.equal(
        entries.find((e) => e.action === 'caregiver.accepted')!.what,
        'A caregiver invitation was accepted: access started: Cal Ortiz, who may read your health record and read and write messages until 2027-06-30',
      );
      assert.match(entries[0]!.what, /^A caregiver’s access or invitation was ended: Dan$/);
      assert.match(entries[1]!.what, /^A caregiver was invited by email: Dan, who may read your health record$/);
      assert.equal(res.body.next, undefined);
      assert.equal(res.body.timeZone, 'America/Chicago');
      assert.deepEqual(
        (res.body.people as Json[]).map((p) => `${p.kind}|${p.name}`),
        [
          'you|You',
          'guardian|-Gus "the" guardian',
          'caregiver|Cal Ortiz',
          'staff|Dr. Ana Lee',
          'clinic|The clinic',
          'someone|Another portal account',
        ],
      );
      // Not a bare substring test: random hex ids may hold the letters "bea" (it failed so once in CI on
      // PostgreSQL). Her opaque account id is still the key of "Another portal account" for the person filter.
      const body = JSON.stringify(res.body);
      for (const of of ['pat-bea', 'Bea', 'Stone', 'bea@example.com'])
        assert.ok(!body.includes(of), `nothing names Bea or her record (${of})`);
      assert.doesNotMatch(body, /\bbea\b/i, 'nothing names Bea by her username');
      assert.ok(!JSON.stringify(res.body).includes('Dr. Cal'), 'a caregiver goes by the name the patient gave');
      // Bea's own log has her read and Dr. Lee's, nothing of Ada's.
      const bea = await get('/api/access-log', 'bea');
      assert.deepEqual(
        (bea.body.entries as Json[]).map((e) => `${e.who.name}|${e.action}`),
        ['You|record.download', 'Dr. Ana Lee|record.view'],
      );
    });

    it('filters by person and by days of the clinic calendar (both ends included)', async () => {
      const cal = await get(`/api/access-log?person=${people.cal!.id}`);
      assert.deepEqual(
        (cal.body.entries as Json[]).map((e) => e.action),
        ['record.download', 'record.read', 'caregiver.accepted'],
      );
      assert.equal((cal.body.people as Json[]).length, 6, 'the filter still offers everyone');
      const clinic = await get('/api/access-log?person=cli');
      assert.deepEqual(
        (clinic.body.entries as Json[]).map((e) => e.action),
        ['record.export'],
      );
      // 22 November in Chicago: 06:00 UTC on the 22nd to 06:00 UTC on the 23rd; Gus's 03:00 UTC read is the 21st there.
      const day = await get('/api/access-log?from=2026-11-22&to=2026-11-22');
      assert.deepEqual(
        (day.body.entries as Json[]).map((e) => e.action),
        ['staff.refill.approve', 'staff.message.view'],
      );
      const upTo = await get('/api/access-log?to=2026-11-21');
      assert.deepEqual(
        (upTo.body.entries as Json[]).map((e) => `${e.who.kind}|${e.action}`),
        [
          'guardian|record.read',
          'caregiver|record.download',
          'caregiver|record.read',
          'caregiver|caregiver.accepted',
          'you|record.download',
        ],
      );
      const both = await get(`/api/access-log?person=${people.doc!.id}&from=2026-11-23`);
      assert.deepEqual(both.body.entries, []);
    });

    it('refuses a bad query with the reason: 400', async () => {
      for (const [query, words] of [
        ['from=2026-13-01', /From: use a date/],
        ['to=yesterday', /To: use a date/],
        ['from=2026-11-25&to=2026-11-01', /From must be on or before To/],
        ['cursor=abc', /cursor/],
        ['cursor=-4', /cursor/],
        ['limit=5', /Unrecognized key/],
      ] as const) {
        const res = await get(`/api/access-log?${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.error, 'invalid_query', query);
        assert.match(res.body.message, words, query);
        const csv = await get(`/api/access-log.csv?${query}`);
        assert.equal(csv.status, 400, query);
      }
    });

    it('an account with no record of its own (a caregiver only) has no log: 404 that says why; signed out: 401', async () => {
      const res = await get('/api/access-log', 'cal');
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'no_record');
      assert.match(res.body.message, /no health record of its own/);
      assert.equal((await get('/api/access-log.csv', 'cal')).status, 404);
      assert.equal((await t.app.request('/api/access-log')).status, 401);
    });

    it('downloads as CSV: an attachment, UTF-8 with BOM, the same filter, formulas defused', async () => {
      const res = await t.app.request(`/api/access-log.csv?to=2026-11-22`, { headers: { Cookie: cookies.ada! } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.equal(res.headers.get('content-disposition'), 'attachment; filename="access-log-start-to-2026-11-22.csv"');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const bytes = new Uint8Array(await res.arrayBuffer());
      assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
      const lines = new TextDecoder().decode(bytes.slice(3)).split('\r\n');
      assert.equal(lines[0], 'Date and time (America/Chicago),Date and time (UTC),Who,As,Kind,What,Outcome');
      assert.equal(
        lines[1],
        '2026-11-22 09:30,2026-11-22T15:30:00.000Z,Dr. Ana Lee,Staff: Clinician,Change,Your care team approved a refill request,Done',
      );
      assert.equal(
        lines[3],
        `2026-11-21 21:00,2026-11-22T03:00:00.000Z,"'-Gus ""the"" guardian",Guardian,Read,Your record was read,Done`,
      );
      assert.match(lines[6]!, /,"A caregiver invitation was accepted: access started: Cal Ortiz, who may [^"]+",Done$/);
      assert.equal(lines.length, 1 + 7 + 1, 'seven entries and the final line end');
      assert.equal(lines.at(-1), '');
      const cal = await t.app.request(`/api/access-log.csv?person=${people.cal!.id}`, {
        headers: { Cookie: cookies.ada! },
      });
      const calLines = (await cal.text()).split('\r\n').slice(1, -1);
      assert.equal(calLines.length, 3);
      assert.ok(calLines.every((l) => l.includes(',Cal Ortiz,Caregiver,')));
    });

    it('pages by 100, newest first; the cursor goes on to older entries', async () => {
      for (let i = 0; i < 105; i++)
        await audit(
          { actor: people.doc!.id, onBehalfOf: 'pat-ada', action: 'staff.message.view', outcome: 'success' },
          `2026-11-26T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
        );
      const first = await get('/api/access-log');
      assert.equal(first.body.entries.length, 100);
      assert.ok(first.body.next);
      const second = await get(`/api/access-log?cursor=${first.body.next}`);
      assert.equal(second.body.entries.length, 105 + 11 - 100);
      assert.equal(second.body.next, undefined);
      assert.equal(second.body.entries.at(-1).action, 'record.download');
      const seqs = [...first.body.entries, ...second.body.entries].map((e: Json) => e.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => b - a),
      );
      const csv = await t.app.request('/api/access-log.csv', { headers: { Cookie: cookies.ada! } });
      assert.equal((await csv.text()).split('\r\n').length, 1 + 116 + 1, 'the CSV holds every page');
      assert.equal((await verifyAuditLog(t.testStore.store.db)).ok, true, 'the chain still verifies');
    });
  });
