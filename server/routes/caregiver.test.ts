import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { postgresFactory, sqliteFactory, type TestStore } from '../testing/stores.js';
import { loadAccess } from '../auth/record-access.js';
import { verifyAuditLog } from '../audit/log.js';
import { caller, linkToken, mailTo, seedPeople, signIn } from '../testing/caregivers.js';
import { CURRENT_CAREGIVER_CONSENT } from '../../common/caregiver-consent.js';
import type { Store } from '../store/store.js';

const CAL_PASSWORD = 'lantern orchard velvet pebble';
const consentVersion = CURRENT_CAREGIVER_CONSENT.version;

/**
 * Two server instances over one PostgreSQL database (SECURITY.md: revoking a delegation takes effect on the next
 * request, on every instance). Nothing about grants is remembered between requests, so instance B sees instance
 * A's revocation at its very next decision.
 */
describe('caregiver access across two server instances on PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  let pg: TestStore;
  let storeB: Store;
  const now = new Date('2026-11-25T12:00:00Z');
  const cookies: Record<string, string> = {};
  let onA: ReturnType<typeof caller>;
  let onB: ReturnType<typeof caller>;

  before(async () => {
    pg = await postgresFactory.open();
    a = await createTestApp({ clock: { now: () => now }, testStore: pg });
    storeB = await pg.openAnother();
    b = await createTestApp({
      clock: { now: () => now },
      testStore: { ...pg, store: storeB, cleanup: async () => {} },
    });
    onA = caller(a, cookies);
    onB = caller(b, cookies);
    await seedPeople(pg.store, now);
    await signIn(onA, cookies, 'ada');
  });
  after(() => a.close());

  it('a revocation on one instance refuses the caregiver at their next request on the other', async () => {
    const invited = await onA(
      'POST',
      '/api/sharing',
      { email: 'cal@example.com', name: 'Cal', scopes: ['records'], consentVersion },
      'ada',
    );
    assert.equal(invited.status, 201);
    const token = linkToken(await mailTo(a.config.dataDir, 'cal@example.com'));
    // Accepted through instance B, signed in through A, read through B.
    const made = await onB('POST', '/api/caregiver/invitation/sign-up', {
      token,
      username: 'cal',
      password: CAL_PASSWORD,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await signIn(onA, cookies, 'cal', CAL_PASSWORD);
    const cal = await storeB.db
      .selectFrom('account')
      .selectAll()
      .where('username', '=', 'cal')
      .executeTakeFirstOrThrow();
    const decide = () =>
      loadAccess(storeB.db, { account: cal, patientId: 'pat-ada', scope: 'records', now }, b.config.clinic);
    assert.equal((await decide()).allowed, true);
    assert.equal((await onB('GET', '/api/caregiver/people', undefined, 'cal')).body.people.length, 1);

    const revoked = await onA('DELETE', `/api/sharing/${invited.body.caregiver.id}`, undefined, 'ada');
    assert.equal(revoked.status, 200);
    assert.deepEqual(await decide(), { allowed: false, reason: 'revoked', grantId: invited.body.caregiver.id });
    assert.deepEqual((await onB('GET', '/api/caregiver/people', undefined, 'cal')).body.people, []);
  });

  it('one invitation accepted twice at once, through both instances: exactly one account gets it', async () => {
    await signIn(onA, cookies, 'bea');
    await onA(
      'POST',
      '/api/sharing',
      { email: 'dan@example.com', name: 'Dan', scopes: ['messages'], consentVersion },
      'ada',
    );
    const token = linkToken(await mailTo(a.config.dataDir, 'dan@example.com'));
    const [one, two] = await Promise.all([
      onA('POST', '/api/caregiver/invitation/accept', { token }, 'bea'),
      onB('POST', '/api/caregiver/invitation/accept', { token }, 'cal'),
    ]);
    assert.deepEqual([one.status, two.status].sort(), [200, 410], JSON.stringify([one.body, two.body]));
    const rows = await pg.store.db
      .selectFrom('caregiver_grant')
      .select('caregiver_account_id')
      .where('invited_email', '=', 'dan@example.com')
      .execute();
    assert.equal(rows.length, 1);
    assert.ok(rows[0]!.caregiver_account_id);
    assert.deepEqual((await verifyAuditLog(pg.store.db)).ok, true);
  });
});

describe('accepting: one live grant per person, and an address that has an account signs in instead', () => {
  let t: TestApp;
  const now = new Date('2026-11-25T12:00:00Z');
  const cookies: Record<string, string> = {};
  let call: ReturnType<typeof caller>;

  before(async () => {
    t = await createTestApp({ clock: { now: () => now }, testStore: await sqliteFactory.open() });
    call = caller(t, cookies);
    await seedPeople(t.testStore.store, now);
    await signIn(call, cookies, 'ada');
    await signIn(call, cookies, 'bea');
  });
  after(() => t.close());

  it('refuses a second live grant for the same person, and an address that already has an account', async () => {
    const send = (email: string) =>
      call('POST', '/api/sharing', { email, name: 'Bea', scopes: ['records'], consentVersion }, 'ada');
    await send('bea.one@example.com');
    await send('bea.two@example.com');
    await send('bea@example.com');
    const tokenFor = async (to: string) => linkToken(await mailTo(t.config.dataDir, to));
    assert.equal(
      (await call('POST', '/api/caregiver/invitation/accept', { token: await tokenFor('bea.one@example.com') }, 'bea'))
        .status,
      200,
    );
    const second = await call(
      'POST',
      '/api/caregiver/invitation/accept',
      { token: await tokenFor('bea.two@example.com') },
      'bea',
    );
    assert.equal(second.status, 409);
    assert.equal(second.body.error, 'already_caregiver');
    const taken = await call('POST', '/api/caregiver/invitation/sign-up', {
      token: await tokenFor('bea@example.com'),
      username: 'bea2',
      password: CAL_PASSWORD,
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error, 'email_taken');
    assert.match(taken.body.message, /Sign in with it, then open the link again/);
    const bad = await call('POST', '/api/caregiver/invitation', { token: 'x'.repeat(43) });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'link_invalid');
    assert.equal((await call('POST', '/api/caregiver/invitation', { token: 'short' })).status, 400);
  });

  it('lets one address try invitation links and typed codes only 30 times a minute (429 with a reason)', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 32; i++)
      answers.push(
        (await call('POST', '/api/caregiver/invitation', { token: `GT0S-W3PK-C839-${String(i).padStart(4, '0')}` }))
          .status,
      );
    const limited = answers.indexOf(429);
    assert.ok(limited > 0 && limited <= 31, answers.join(','));
    const last = await call('POST', '/api/caregiver/invitation', { token: 'GT0S-W3PK-C839-5AD3' });
    assert.equal(last.status, 429);
    assert.match(last.body.message, /Too many tries/);
  });
});
