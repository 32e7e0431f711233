import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { importFile } from '../fhir/import.js';
import { readJson, sharedFiles } from '../testing/fhir-data.js';
import { staffPasskeySession } from '../testing/staff-session.js';
import { listChanges } from '../store/changes.js';
import { readOutbox } from '../testing/mail.js';

const PASSWORD = 'correct horse battery staple';
type Json = Record<string, any>;

describe('the care team refill queue: approve, deny with a reason, ready; roles enforced, audited', () => {
  let t: TestApp;
  const now = new Date('2026-11-25T12:00:00Z');
  const cookies: Record<string, string> = {};
  const file = sharedFiles('patients').find((f) => f.includes('Reyna_Ziemann'))!;
  const active = readJson(file)
    .entry.map((e) => e.resource)
    .filter((r) => r.resourceType === 'MedicationRequest' && r.status === 'active') as Json[];
  let patientId: string;

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
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...extra,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const ask = (medicationRequestId: string, key: string) =>
    call(
      'POST',
      '/api/refills',
      'reyna',
      { medicationRequestId, pharmacy: 'Main Street Pharmacy' },
      { 'Idempotency-Key': key },
    );

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    const db = t.testStore.store.db;
    patientId = (await importFile(t.testStore.store, file, { now })).patients[0]!;
    const hash = await hashPassword(PASSWORD);
    const reyna = await createAccount(
      db,
      {
        kind: 'patient',
        username: 'reyna',
        email: 'reyna@example.com',
        displayName: 'Reyna',
        passwordHash: hash,
        patientId,
      },
      now,
    );
    await db.updateTable('account').set({ email_verified_at: now.toISOString() }).where('id', '=', reyna.id).execute();
    const res = await t.app.request('/api/session', {
      method: 'POST',
      headers: { Origin: t.config.publicOrigin, [CSRF_HEADER]: CSRF_HEADER_VALUE, 'Content-Type': 'application/json' },
      body: JSON.stringify({ login: 'reyna', password: PASSWORD }),
    });
    cookies.reyna = res.headers.get('set-cookie')!.split(';')[0]!;
    for (const [username, role] of [
      ['drlee', 'clinician'],
      ['desk', 'helpdesk'],
    ] as const) {
      const a = await createAccount(
        db,
        {
          kind: 'staff',
          username,
          email: `${username}@clinic.example`,
          displayName: username === 'drlee' ? 'Dr Lee' : 'Help Desk',
          role,
          passwordHash: hash,
        },
        now,
      );
      await db.updateTable('account').set({ email_verified_at: now.toISOString() }).where('id', '=', a.id).execute();
      cookies[username] = await staffPasskeySession(t, username, PASSWORD);
    }
  });
  after(() => t.close());

  it('shows clinicians the open requests with patient, medication and pharmacy; others are refused', async () => {
    assert.equal((await ask(active[0]!.id, 'queue-item-0001')).status, 201);
    assert.equal((await ask(active[1]!.id, 'queue-item-0002')).status, 201);
    const queue = await call('GET', '/api/staff/refills', 'drlee');
    assert.equal(queue.status, 200);
    assert.equal(queue.body.requests.length, 2);
    assert.match(queue.body.requests[0].patient.name, /Reyna/);
    assert.equal(queue.body.requests[0].pharmacy, 'Main Street Pharmacy');
    assert.equal((await call('GET', '/api/staff/refills', 'desk')).status, 403);
    assert.equal((await call('GET', '/api/staff/refills', 'reyna')).status, 403);
    const views = await t.testStore.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'staff.refill.view')
      .execute();
    assert.ok(views.every((v) => v.on_behalf_of === patientId) && views.length === 2);
  });

  it('approves, then marks ready; the patient sees it in their record and is told by mail', async () => {
    const [first] = (await call('GET', '/api/staff/refills', 'drlee')).body.requests;
    const unconfirmed = await call('POST', `/api/staff/refills/${first.id}/decision`, 'drlee', { decision: 'approve' });
    assert.equal(unconfirmed.status, 400, 'approving needs the pharmacy confirmed');
    assert.match(unconfirmed.body.message, /pharmacy/);
    const approved = await call('POST', `/api/staff/refills/${first.id}/decision`, 'drlee', {
      decision: 'approve',
      pharmacy: 'Main Street Pharmacy, 12 Main St',
    });
    assert.equal(approved.status, 200);
    assert.deepEqual(approved.body.task.output, [
      { type: { text: 'Pharmacy confirmed' }, valueString: 'Main Street Pharmacy, 12 Main St' },
    ]);
    assert.equal(approved.body.task.status, 'accepted');
    assert.equal(approved.body.task.owner.display, 'Dr Lee');
    const ready = await call('POST', `/api/staff/refills/${first.id}/decision`, 'drlee', { decision: 'ready' });
    assert.equal(ready.body.task.status, 'ready');
    const feed = (await listChanges(t.testStore.store.db, patientId, 0, 5000)).filter(
      (ch) => ch.resourceType === 'Task' && ch.id === first.id,
    );
    assert.equal(feed.at(-1)!.resource!.status, 'ready');
    let mails = await readOutbox(t.config.dataDir);
    for (let i = 0; i < 100 && !mails.some((m) => m.to === 'reyna@example.com'); i++) {
      await new Promise((r) => setTimeout(r, 30));
      mails = await readOutbox(t.config.dataDir);
    }
    const told = mails.filter((m) => m.to === 'reyna@example.com');
    assert.ok(told.length >= 1, 'the patient is told');
    assert.ok(
      told.every((m) => !m.text.toLowerCase().includes(String(first.medication).toLowerCase())),
      'no clinical detail in the mail',
    );
  });

  it('denies only with a reason the patient will read; refuses impossible moves and unknown ids', async () => {
    const [second] = (await call('GET', '/api/staff/refills', 'drlee')).body.requests; // the first is ready: it waits for pickup, not for staff
    assert.equal(
      (await call('POST', `/api/staff/refills/${second.id}/decision`, 'drlee', { decision: 'deny' })).status,
      400,
    );
    assert.equal(
      (await call('POST', `/api/staff/refills/${second.id}/decision`, 'drlee', { decision: 'ready' })).status,
      409,
    );
    const denied = await call('POST', `/api/staff/refills/${second.id}/decision`, 'drlee', {
      decision: 'deny',
      reason: 'Please book a review visit first.',
    });
    assert.equal(denied.body.task.status, 'rejected');
    assert.equal(denied.body.task.statusReason.text, 'Please book a review visit first.');
    assert.equal(
      (await call('POST', '/api/staff/refills/nope/decision', 'drlee', { decision: 'approve', pharmacy: 'X' })).status,
      404,
    );
    assert.equal(
      (await call('POST', `/api/staff/refills/${second.id}/decision`, 'desk', { decision: 'approve', pharmacy: 'X' }))
        .status,
      403,
    );
    // Decided requests leave the queue; the patient may ask again.
    assert.equal((await call('GET', '/api/staff/refills', 'drlee')).body.requests.length, 0);
    const again = await ask(second.medicationRequestId, 'queue-item-0003');
    assert.equal(again.status, 201, JSON.stringify(again.body));
  });
});
