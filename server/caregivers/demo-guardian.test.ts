import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { caller, signIn } from '../testing/caregivers.js';
import { verifyAuditLog } from '../audit/log.js';
import { loadDemoOnce } from '../fhir/demo/load.js';
import { DEMO_GUARDIAN, demoGuardianLines, loadDemoGuardianOnce } from './demo-guardian.js';

describe('the demo clinic’s guardian: Sofia Alvarez for Maya', () => {
  let t: TestApp;
  const now = new Date('2026-12-03T15:00:00Z');
  const cookies: Record<string, string> = {};

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
  });
  after(() => t.close());

  it('is set up once, next to a ten-year-old Maya, and says how to sign in', async () => {
    const store = t.testStore.store;
    assert.deepEqual(await loadDemoGuardianOnce(store, now), { status: 'skipped', reason: 'no demo child' });
    const demo = await loadDemoOnce(store, now);
    assert.equal(demo.status, 'loaded-now');
    const maya = demo.status === 'loaded-now' ? demo.patients.find((p) => p.id === DEMO_GUARDIAN.child.id) : undefined;
    assert.equal(maya?.age, 10);
    const first = await loadDemoGuardianOnce(store, now);
    assert.equal(first.status, 'added-now');
    assert.equal((await loadDemoGuardianOnce(store, now)).status, 'added-before');
    assert.equal(
      (await store.db.selectFrom('caregiver_grant').select('id').where('kind', '=', 'guardian').execute()).length,
      1,
    );
    const lines = demoGuardianLines(first).join('\n');
    assert.match(
      lines,
      /Sofia Alvarez, parent of Maya Alvarez: sign in as sofia\.alvarez with the password "sunlit harbor kite"/,
    );
    assert.equal((await verifyAuditLog(store.db)).ok, true);
  });

  it('signs in with the printed password and may do everything for Maya', async () => {
    const call = caller(t, cookies);
    await signIn(call, cookies, DEMO_GUARDIAN.username, DEMO_GUARDIAN.password);
    const people = await call('GET', '/api/caregiver/people', undefined, DEMO_GUARDIAN.username);
    assert.deepEqual(
      people.body.people.map((p: any) => [p.name, p.kind, p.scopes.join(','), p.narrowedByAge]),
      [['Maya Alvarez', 'guardian', 'records,appointments,messages,refills', false]],
    );
  });
});
