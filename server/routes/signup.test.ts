import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { readOutbox, waitForMail } from '../testing/mail.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { importBundle } from '../fhir/import.js';
import { hashToken } from '../auth/tokens.js';
import { normalizeActivationCode } from '../auth/activation-code.js';

const MRN = {
  type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
  system: 'http://clinic.example/mrn',
};
const patient = (id: string, family: string, birthDate: string, mrn: string) => ({
  fullUrl: `urn:uuid:${id}`,
  resource: {
    resourceType: 'Patient',
    id,
    identifier: [{ ...MRN, value: mrn }],
    name: [{ use: 'official', family, given: ['Test'] }],
    birthDate,
  },
});
const encounter = (id: string, patientId: string, start: string) => ({
  fullUrl: `urn:uuid:${id}`,
  resource: {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { code: 'AMB' },
    subject: { reference: `urn:uuid:${patientId}` },
    period: { start, end: start },
  },
});

const password = 'a long walk by the quiet river';
const account = (n: string) => ({ email: `${n}@example.com`, username: n, password, phone: '', notify: undefined });

describe('sign-up with identity proofing', () => {
  let t: TestApp;
  let now = new Date('2026-11-25T12:00:00Z');
  let headers: Record<string, string>;
  const post = (path: string, body: unknown) =>
    t.app.request(path, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const byRecord = (n: string, over: Record<string, string> = {}) =>
    post('/api/signup', {
      method: 'record',
      mrn: 'MRN-1001',
      birthDate: '1948-11-08',
      lastName: 'Gíbson',
      lastVisitDate: '2021-01-11',
      ...account(n),
      ...over,
    });
  const linkIn = (text: string) => text.match(/#token=([A-Za-z0-9_-]+)/)![1]!;

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    headers = { Origin: t.config.publicOrigin, [CSRF_HEADER]: CSRF_HEADER_VALUE };
    const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    await importBundle(
      t.testStore.store,
      {
        type: 'collection',
        entries: [
          patient(ids[0]!, 'Gibson10', '1948-11-08', 'MRN-1001'),
          encounter('33333333-3333-4333-8333-333333333333', ids[0]!, '2020-03-02T09:00:00+00:00'),
          encounter('44444444-4444-4444-8444-444444444444', ids[0]!, '2021-01-11T16:34:40+00:00'),
          patient(ids[1]!, 'Ziemann', '1974-05-20', 'MRN-2002'),
          // A child of 10 (the demo clinic's rules: a guardian's access narrows at 12 and ends at 18).
          patient('55555555-5555-4555-8555-555555555555', 'Alvarez', '2016-06-01', 'MRN-3003'),
          encounter(
            '66666666-6666-4666-8666-666666666666',
            '55555555-5555-4555-8555-555555555555',
            '2026-10-01T10:00:00+00:00',
          ),
        ],
      } as never,
      { now },
    );
  });
  after(async () => {
    await t.close();
  });

  it('refuses a form with missing answers in words, one issue per field (it read "The request has 12 problem(s): mrn: …")', async () => {
    const res = await byRecord('words', { mrn: '', lastName: '', birthDate: '' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { message: string; issues: { path: string; message: string }[] };
    assert.doesNotMatch(body.message, /problem\(s\)|request has/);
    assert.match(body.message, /^\d+ answers need another look\. The first: Enter your medical record number\.$/);
    assert.deepEqual(body.issues.map((i) => i.path).sort(), ['birthDate', 'lastName', 'mrn']);
    const one = await byRecord('words', { mrn: '' });
    assert.equal(((await one.json()) as { message: string }).message, 'Enter your medical record number.');
  });

  it('answers the same whether or not the details match, and mails a link only on a match', async () => {
    const miss = await byRecord('wrongvisit', { lastVisitDate: '2020-03-02' }); // a visit, but not the latest
    const hit = await byRecord('margery');
    assert.equal(miss.status, 202);
    assert.equal(hit.status, 202);
    assert.deepEqual(await miss.json(), await hit.json());
    const mails = await waitForMail(t.config.dataDir, 1);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.to, 'margery@example.com');
    assert.match(mails[0]!.text, new RegExp(`${t.config.publicOrigin}/verify-email#token=`));
    assert.ok(!/Gibson|1948|MRN/.test(mails[0]!.text), 'mail carries nothing clinical or identifying');
  });

  it('does not let anyone claim a minor’s record by its details (a parent knows them all): the same neutral answer, no mail', async () => {
    const before = (await readOutbox(t.config.dataDir)).length;
    const res = await post('/api/signup', {
      method: 'record',
      mrn: 'MRN-3003',
      birthDate: '2016-06-01',
      lastName: 'Alvarez',
      lastVisitDate: '2026-10-01',
      ...account('parent'),
    });
    assert.equal(res.status, 202);
    const miss = await byRecord('nobody', { mrn: 'MRN-9999' });
    assert.deepEqual(await res.json(), await miss.json());
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await readOutbox(t.config.dataDir)).length, before, 'no confirmation link was mailed');
    const audit = await t.testStore.store.db
      .selectFrom('audit_log')
      .select(['outcome', 'detail', 'on_behalf_of'])
      .where('detail', 'like', '%minor%')
      .execute();
    assert.deepEqual(audit, [
      {
        outcome: 'denied',
        detail: 'record-details: a minor needs an activation code',
        on_behalf_of: '55555555-5555-4555-8555-555555555555',
      },
    ]);
  });

  it('creates the account when the link is opened, once, and then the patient can sign in', async () => {
    const [mail] = await readOutbox(t.config.dataDir);
    const token = linkIn(mail!.text);
    const confirm = await post('/api/signup/confirm', { token });
    assert.equal(confirm.status, 201);
    const row = await t.testStore.store.db
      .selectFrom('account')
      .selectAll()
      .where('username', '=', 'margery')
      .executeTakeFirstOrThrow();
    assert.equal(row.patient_id, '11111111-1111-4111-8111-111111111111');
    assert.equal(row.display_name, 'Test Gibson');
    assert.ok(row.email_verified_at);
    assert.match(row.password_hash!, /^\$argon2id\$/);
    const again = await post('/api/signup/confirm', { token });
    assert.equal(again.status, 410);
    assert.equal(((await again.json()) as { error: string }).error, 'link_used');
    const signIn = await post('/api/session', { login: 'margery', password });
    assert.equal(signIn.status, 200);
  });

  it('refuses a second account for the same record neutrally, and tells the holder', async () => {
    const before = (await readOutbox(t.config.dataDir)).length;
    const res = await byRecord('margery2');
    assert.equal(res.status, 202);
    const mails = await waitForMail(t.config.dataDir, before + 1);
    const notice = mails.at(-1)!;
    assert.equal(notice.to, 'margery@example.com');
    assert.match(notice.subject, /Someone tried to create a second/);
  });

  it('signs up with an activation code and date of birth; the code works once', async () => {
    const code = '7K3M-Q9XD-W2PN-4RTB';
    await t.testStore.store.db
      .insertInto('one_time_token')
      .values({
        hash: hashToken(normalizeActivationCode(code)),
        purpose: 'activation',
        account_id: null,
        patient_id: '22222222-2222-4222-8222-222222222222',
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + 30 * 86400_000).toISOString(),
        used_at: null,
        payload: null,
      })
      .execute();
    const count = (await readOutbox(t.config.dataDir)).length;
    const wrongBirth = await post('/api/signup', {
      method: 'activation-code',
      activationCode: code,
      birthDate: '1974-05-21',
      ...account('reyna'),
    });
    assert.equal(wrongBirth.status, 202);
    assert.equal((await waitForMail(t.config.dataDir, count + 1, 300)).length, count, 'no mail for a wrong birth date');
    const ok = await post('/api/signup', {
      method: 'activation-code',
      activationCode: '7k3m q9xd w2pn 4rtb',
      birthDate: '1974-05-20',
      ...account('reyna'),
    });
    assert.equal(ok.status, 202);
    const mail = (await waitForMail(t.config.dataDir, count + 1)).at(-1)!;
    assert.equal((await post('/api/signup/confirm', { token: linkIn(mail.text) })).status, 201);
    const used = await t.testStore.store.db
      .selectFrom('one_time_token')
      .select('used_at')
      .where('purpose', '=', 'activation')
      .executeTakeFirstOrThrow();
    assert.ok(used.used_at, 'the activation code is spent');
  });

  it('explains bad input on the field, and creates nothing', async () => {
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ password: 'password' }, 400, /at least 15 characters/],
      [{ password: '1qaz2wsx3edc4rfv' }, 400, /common passwords/],
      [{ birthDate: '1948-02-30' }, 400, /does not exist/],
      [{ birthDate: '2999-01-01' }, 400, /between 1900 and today/],
      [{ lastVisitDate: '11/01/2021' }, 400, /YYYY-MM-DD/],
      [{ email: 'not-an-email' }, 400, /email address/],
      [{ username: 'a'.repeat(1000) }, 400, /at most 32/],
      [{ lastName: 'x'.repeat(1000) }, 400, /./],
      // A taken username gets the neutral answer: sign-up must not reveal which sign-in names exist.
      [{ username: 'Margery' }, 202, /If these details match our records/],
    ];
    const accountsBefore = (await t.testStore.store.db.selectFrom('account').select('id').execute()).length;
    for (const [over, status, message] of cases) {
      const res = await byRecord('fresh', over as Record<string, string>);
      assert.equal(res.status, status, JSON.stringify(over));
      assert.match(((await res.json()) as { message: string }).message, message, JSON.stringify(over));
    }
    assert.equal((await t.testStore.store.db.selectFrom('account').select('id').execute()).length, accountsBefore);
    assert.equal((await post('/api/signup/confirm', { token: 'x'.repeat(43) })).status, 400);
  });

  it('refuses the second of two pending sign-ups for one record at confirmation, with a reason, not an error', async () => {
    const ids = ['66666666-6666-4666-8666-666666666666'];
    await importBundle(
      t.testStore.store,
      {
        type: 'collection',
        entries: [
          patient(ids[0]!, 'Okafor', '1982-05-06', 'MRN-3003'),
          encounter('77777777-7777-4777-8777-777777777777', ids[0]!, '2026-11-01T10:00:00+00:00'),
        ],
      } as never,
      { now },
    );
    const count = (await readOutbox(t.config.dataDir)).length;
    const details = { mrn: 'MRN-3003', birthDate: '1982-05-06', lastName: 'Okafor', lastVisitDate: '2026-11-01' };
    await byRecord('daniel', details);
    await byRecord('dan', { ...details, email: 'dan@example.com' } as never);
    const mails = await waitForMail(t.config.dataDir, count + 2);
    const [first, second] = mails.slice(-2).map((m) => linkIn(m.text));
    assert.equal((await post('/api/signup/confirm', { token: first })).status, 201);
    const res = await post('/api/signup/confirm', { token: second });
    assert.equal(res.status, 409);
    assert.equal(((await res.json()) as { error: string }).error, 'signup_conflict');
  });

  it('throttles repeated attempts with the same record number', async () => {
    for (let i = 0; i < 5; i++)
      assert.equal((await byRecord(`guess${i}`, { mrn: 'MRN-2002', lastName: `Wrong${i}` })).status, 202);
    const res = await byRecord('guess6', { mrn: 'MRN-2002', lastName: 'Ziemann' });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  });

  it('lets a link expire after 24 hours', async () => {
    const count = (await readOutbox(t.config.dataDir)).length;
    await byRecord('latecomer', { mrn: 'MRN-1001' }); // matches, but the record has an account: no link
    now = new Date(now.getTime() + 31_000);
    const code = 'ABCD-EFGH-JKMN-PQRS';
    await t.testStore.store.db
      .insertInto('one_time_token')
      .values({
        hash: hashToken(normalizeActivationCode(code)),
        purpose: 'activation',
        account_id: null,
        patient_id: '11111111-1111-4111-8111-111111111111',
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + 86400_000).toISOString(),
        used_at: null,
        payload: null,
      })
      .execute();
    await t.testStore.store.db.deleteFrom('account').where('username', '=', 'margery').execute();
    await post('/api/signup', {
      method: 'activation-code',
      activationCode: code,
      birthDate: '1948-11-08',
      ...account('latecomer'),
    });
    const mail = (await waitForMail(t.config.dataDir, count + 2)).at(-1)!;
    now = new Date(now.getTime() + 24 * 3600_000 + 1000);
    const res = await post('/api/signup/confirm', { token: linkIn(mail.text) });
    assert.equal(res.status, 410);
    assert.equal(((await res.json()) as { error: string }).error, 'link_expired');
  });
});
