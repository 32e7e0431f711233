import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { createTestApp, type TestApp } from '../testing/app.js';
import { passwordCookie, verifiedPatient } from '../testing/accounts.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { importFile } from '../fhir/import.js';
import { countEntries, readJson, sharedFiles } from '../testing/fhir-data.js';
import { putResources } from '../store/resources.js';
import { withTransaction } from '../store/store.js';

const PASSWORD = 'correct horse battery staple';
type Json = Record<string, any>;

describe('records change feed: the one path records leave the server by', () => {
  let t: TestApp;
  const now = new Date('2026-11-25T12:00:00Z');
  const cookies: Record<string, string> = {};
  let margery: string;
  let reyna: string;
  const margeryFile = sharedFiles('patients').find((f) => f.includes('Margery_Gibson'))!;

  const get = async (path: string, who: string, headers: Record<string, string> = {}) => {
    const res = await t.app.request(path, { headers: { Cookie: cookies[who]!, ...headers } });
    return res;
  };
  const json = async (path: string, who: string) => {
    const res = await get(path, who);
    return { status: res.status, body: (await res.json()) as Json };
  };

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    const store = t.testStore.store;
    margery = (await importFile(store, margeryFile, { now })).patients[0]!;
    reyna = (
      await importFile(
        store,
        sharedFiles('patients').find((f) => f.includes('Reyna_Ziemann'))!,
        { now },
      )
    ).patients[0]!;
    const hash = await hashPassword(PASSWORD);
    for (const [username, patientId] of [
      ['margery', margery],
      ['reyna', reyna],
    ] as const) {
      await verifiedPatient(store, username, patientId, hash, now);
      cookies[username] = await passwordCookie(t, username, PASSWORD);
    }
  });
  after(() => t.close());

  it('lists the patients the account may read: its own record', async () => {
    const { body } = await json('/api/records/patients', 'margery');
    assert.equal(body.patients.length, 1);
    assert.equal(body.patients[0].id, margery);
    assert.match(body.patients[0].name, /Margery/);
  });

  it('pages through every resource of the record with a cursor, each change once, in order', async () => {
    const seen = new Map<string, Json>();
    let since = 0;
    let pages = 0;
    const seqs: number[] = [];
    for (;;) {
      const { status, body } = await json(`/api/records/feed?patient=${margery}&since=${since}&limit=200`, 'margery');
      assert.equal(status, 200);
      pages++;
      for (const ch of body.changes) {
        seqs.push(ch.seq);
        seen.set(`${ch.type}/${ch.id}`, ch.resource);
      }
      since = body.next;
      if (body.done) break;
    }
    assert.ok(pages > 1, 'several pages');
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    assert.equal(new Set(seqs).size, seqs.length);
    // Every resource of the bundle that belongs to her compartment arrives (Organization/Practitioner do not).
    const counts = countEntries(readJson(margeryFile));
    const byType: Record<string, number> = {};
    for (const key of seen.keys()) byType[key.split('/')[0]!] = (byType[key.split('/')[0]!] ?? 0) + 1;
    for (const type of [
      'Observation',
      'Encounter',
      'MedicationRequest',
      'DiagnosticReport',
      'Condition',
      'Immunization',
      'Procedure',
    ]) {
      assert.equal(byType[type], counts[type], type);
    }
    assert.equal(byType.Patient, 1);
  });

  it('costs one small request when nothing is new, and then sends only what changed', async () => {
    const latest = (await json(`/api/records/feed?patient=${margery}&since=0&limit=1`, 'margery')).body
      .latest as number;
    const idle = await json(`/api/records/feed?patient=${margery}&since=${latest}`, 'margery');
    assert.deepEqual(idle.body, { patient: margery, since: latest, next: latest, latest, done: true, changes: [] });
    const patient = (
      await json(`/api/records/feed?patient=${margery}&since=0&limit=1000`, 'margery')
    ).body.changes.find((c: Json) => c.type === 'Patient').resource;
    await withTransaction(t.testStore.store, (trx) =>
      putResources(
        trx,
        t.testStore.store.dialect,
        [{ ...patient, telecom: [{ system: 'phone', value: '555-0100' }] }],
        now,
      ),
    );
    const after = await json(`/api/records/feed?patient=${margery}&since=${latest}`, 'margery');
    assert.equal(after.body.changes.length, 1);
    assert.equal(after.body.changes[0].type, 'Patient');
    assert.equal(after.body.changes[0].resource.telecom[0].value, '555-0100');
  });

  it('compresses the feed and forbids caching it', async () => {
    const res = await get(`/api/records/feed?patient=${margery}&since=0&limit=500`, 'margery', {
      'Accept-Encoding': 'gzip',
    });
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const raw = Buffer.from(await res.arrayBuffer());
    const body = JSON.parse(gunzipSync(raw).toString('utf8')) as Json;
    assert.equal(body.changes.length, 500);
    assert.ok(raw.length * 4 < gunzipSync(raw).length, `compressed ${raw.length} bytes`);
  });

  it('never reveals another patient: the same 404 as for no patient at all, and the attempt is audited', async () => {
    const other = await json(`/api/records/feed?patient=${margery}`, 'reyna');
    const missing = await json('/api/records/feed?patient=no-such-patient', 'reyna');
    assert.equal(other.status, 404);
    assert.deepEqual(other.body, missing.body);
    const denied = await t.testStore.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'record.access-denied')
      .execute();
    assert.deepEqual(
      denied.map((d) => d.target),
      [`Patient/${margery}`, 'Patient/no-such-patient'],
    );
    assert.equal((await t.app.request(`/api/records/feed?patient=${margery}`)).status, 401);
  });

  it('refuses bad paging with a clear 400', async () => {
    for (const q of [
      '',
      `patient=${reyna}&since=-1`,
      `patient=${reyna}&limit=0`,
      `patient=${reyna}&limit=5000`,
      `patient=${reyna}&since=abc`,
      `patient=${reyna}&extra=1`,
    ]) {
      const res = await json(`/api/records/feed?${q}`, 'reyna');
      assert.equal(res.status, 400, q);
      assert.match(res.body.message, /^Bad request/);
    }
  });

  it('hands each account one stable vault key, different per account', async () => {
    const a = (await json('/api/records/vault-key', 'margery')).body.key;
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.equal((await json('/api/records/vault-key', 'margery')).body.key, a);
    assert.notEqual((await json('/api/records/vault-key', 'reyna')).body.key, a);
  });
});

describe('the sync is not the person: reading the record never keeps a session alive', () => {
  let t: TestApp;
  let now = new Date('2026-11-25T12:00:00Z');
  let cookie = '';
  const minutes = (n: number) => (now = new Date(now.getTime() + n * 60_000));
  const get = (path: string) => t.app.request(path, { headers: { Cookie: cookie } });

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    const store = t.testStore.store;
    await withTransaction(store, (trx) =>
      putResources(trx, store.dialect, [{ resourceType: 'Patient', id: 'p-idle' }], now),
    );
    const a = await createAccount(
      store.db,
      {
        kind: 'patient',
        username: 'idle',
        email: 'idle@example.com',
        displayName: 'Idle',
        passwordHash: await hashPassword(PASSWORD),
        patientId: 'p-idle',
      },
      now,
    );
    await store.db
      .updateTable('account')
      .set({ email_verified_at: now.toISOString() })
      .where('id', '=', a.id)
      .execute();
    const res = await t.app.request('/api/session', {
      method: 'POST',
      headers: { Origin: t.config.publicOrigin, [CSRF_HEADER]: CSRF_HEADER_VALUE, 'Content-Type': 'application/json' },
      body: JSON.stringify({ login: 'idle', password: PASSWORD }),
    });
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  });
  after(() => t.close());

  it('an open app syncing every 45 s with nobody at it is still signed out at the idle limit (15 minutes)', async () => {
    // Nobody touches the page; its sync asks the feed (and the patients, the key) every 45 s.
    for (let elapsed = 0.75; elapsed < 15; elapsed += 0.75) {
      minutes(0.75);
      for (const path of [
        '/api/records/patients',
        '/api/records/feed?patient=p-idle&since=0',
        '/api/records/vault-key',
      ])
        assert.equal((await get(path)).status, 200, `${path} at ${elapsed} min`);
    }
    minutes(0.75);
    const ended = await get('/api/records/feed?patient=p-idle&since=0');
    assert.equal(ended.status, 401);
    assert.equal(((await ended.json()) as Json).reason, 'idle-timeout');
  });
});
