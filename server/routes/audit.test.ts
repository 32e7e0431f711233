import { staffPasskeySession } from '../testing/staff-session.js';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { appendAudit } from '../audit/log.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';

const PASSWORD = 'a hedge of lavender by the gate';

describe('audit entries: a patient reads their own, only an administrator reads all', () => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  let headers: Record<string, string>;
  const get = (path: string, who?: string) => t.app.request(path, { headers: who ? { Cookie: cookies[who]! } : {} });

  before(async () => {
    t = await createTestApp();
    headers = { Origin: t.config.publicOrigin, [CSRF_HEADER]: CSRF_HEADER_VALUE, 'Content-Type': 'application/json' };
    const db = t.testStore.store.db;
    const hash = await hashPassword(PASSWORD);
    const now = new Date('2026-11-25T12:00:00Z');
    const people = [
      { username: 'pat', kind: 'patient' as const, patientId: 'patient-a', role: null },
      { username: 'other', kind: 'patient' as const, patientId: 'patient-b', role: null },
      { username: 'doc', kind: 'staff' as const, patientId: null, role: 'clinician' as const },
      { username: 'boss', kind: 'staff' as const, patientId: null, role: 'admin' as const },
    ];
    for (const p of people) {
      const a = await createAccount(
        db,
        {
          kind: p.kind,
          patientId: p.patientId,
          role: p.role,
          username: p.username,
          email: `${p.username}@example.com`,
          displayName: p.username,
          passwordHash: hash,
        },
        now,
      );
      await db.updateTable('account').set({ email_verified_at: now.toISOString() }).where('id', '=', a.id).execute();
      if (p.kind === 'staff') {
        cookies[p.username] = await staffPasskeySession(t, p.username, PASSWORD);
        continue;
      }
      const res = await t.app.request('/api/session', {
        method: 'POST',
        headers,
        body: JSON.stringify({ login: p.username, password: PASSWORD }),
      });
      cookies[p.username] = res.headers.get('set-cookie')!.split(';')[0]!;
    }
    // A clinician looked at each patient's record.
    await appendAudit(
      db,
      { actor: 'staff-x', onBehalfOf: 'patient-a', action: 'record.view', outcome: 'success' },
      now,
    );
    await appendAudit(
      db,
      { actor: 'staff-x', onBehalfOf: 'patient-b', action: 'record.view', outcome: 'success' },
      now,
    );
  });
  after(async () => {
    await t.close();
  });

  it("shows a patient the entries about their record and their own actions, and nobody else's", async () => {
    const res = await get('/api/audit', 'pat');
    assert.equal(res.status, 200);
    const { entries } = (await res.json()) as { entries: { action: string; onBehalfOf: string | null }[] };
    assert.ok(entries.some((e) => e.action === 'record.view' && e.onBehalfOf === 'patient-a'));
    assert.ok(entries.some((e) => e.action === 'sign-in'));
    assert.ok(!entries.some((e) => e.onBehalfOf === 'patient-b'));
  });

  it('pages with a cursor and refuses a bad one', async () => {
    const all = ((await (await get('/api/audit?limit=200', 'pat')).json()) as { entries: { seq: number }[] }).entries;
    const page = (
      (await (await get(`/api/audit?limit=1&before=${all[0]!.seq}`, 'pat')).json()) as { entries: { seq: number }[] }
    ).entries;
    assert.deepEqual(
      page.map((e) => e.seq),
      [all[1]!.seq],
    );
    assert.equal((await get('/api/audit?limit=5000', 'pat')).status, 400);
    assert.equal((await get('/api/audit?before=abc', 'pat')).status, 400);
  });

  it('lets only an administrator read every entry, and audits both the reading and the refusals', async () => {
    assert.equal((await get('/api/audit/all')).status, 401);
    assert.equal((await get('/api/audit/all', 'pat')).status, 403);
    assert.equal((await get('/api/audit/all', 'doc')).status, 403);
    const res = await get('/api/audit/all', 'boss');
    assert.equal(res.status, 200);
    const { entries } = (await res.json()) as { entries: { action: string; onBehalfOf: string | null }[] };
    assert.ok(entries.some((e) => e.onBehalfOf === 'patient-b'));
    const actions = (await t.testStore.store.db.selectFrom('audit_log').select('action').execute()).map(
      (r) => r.action,
    );
    assert.equal(actions.filter((a) => a === 'access.denied').length, 2);
    assert.equal(actions.filter((a) => a === 'audit.read').length, 1);
  });
});
