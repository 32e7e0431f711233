import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { passwordCookie, verifiedPatient } from '../testing/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { randomUUID } from 'node:crypto';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { putResources } from '../store/resources.js';
import { withTransaction } from '../store/store.js';
import { verifyAuditLog } from '../audit/log.js';
import { readOutbox, waitForMail } from '../testing/mail.js';

const PASSWORD = 'correct horse battery staple';
type Json = Record<string, any>;

// [4/11] "every export … is written to the audit log and appears in the patient's access log": the device makes the
// files from its own copy, and tells the server only that it did.
describe('POST /api/records/exported: an export made on the device is audited', () => {
  let t: TestApp;
  const now = new Date('2026-12-03T12:00:00Z');
  const cookies: Record<string, string> = {};

  const post = async (who: string, body: unknown, key: string = randomUUID()) => {
    const res = await t.app.request('/api/records/exported', {
      method: 'POST',
      headers: {
        Origin: t.config.publicOrigin,
        [CSRF_HEADER]: CSRF_HEADER_VALUE,
        Cookie: cookies[who]!,
        'Content-Type': 'application/json',
        'Idempotency-Key': key,
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
  };

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    const store = t.testStore.store;
    await withTransaction(store, (trx) =>
      putResources(
        trx,
        store.dialect,
        ['p-ann', 'p-bo'].map((id) => ({ resourceType: 'Patient', id, name: [{ given: [id.slice(2)] }] })),
        now,
      ),
    );
    const hash = await hashPassword(PASSWORD);
    for (const [username, patientId] of [
      ['ann', 'p-ann'],
      ['bo', 'p-bo'],
    ] as const) {
      await verifiedPatient(store, username, patientId, hash, now);
      cookies[username] = await passwordCookie(t, username, PASSWORD);
    }
  });
  after(() => t.close());

  it('the patient’s own export: one record.export entry on their behalf, shown in their access log; a retry is written once', async () => {
    const key = randomUUID();
    assert.equal((await post('ann', { patientId: 'p-ann', kind: 'ips' }, key)).status, 201);
    assert.equal((await post('ann', { patientId: 'p-ann', kind: 'ips' }, key)).status, 201);
    assert.equal((await post('ann', { patientId: 'p-ann', kind: 'fhir' })).status, 201);
    const rows = await t.testStore.store.db
      .selectFrom('audit_log')
      .select(['action', 'on_behalf_of', 'outcome', 'detail'])
      .where('action', '=', 'record.export')
      .orderBy('seq')
      .execute();
    assert.deepEqual(rows, [
      {
        action: 'record.export',
        on_behalf_of: 'p-ann',
        outcome: 'success',
        detail: 'International Patient Summary, made on the device',
      },
      {
        action: 'record.export',
        on_behalf_of: 'p-ann',
        outcome: 'success',
        detail: 'FHIR R4 Bundle of the whole record, made on the device',
      },
    ]);
    const log = await t.app.request('/api/access-log', { headers: { Cookie: cookies.ann! } });
    const entries = ((await log.json()) as Json).entries as Json[];
    const exports = entries.filter((e) => e.action === 'record.export');
    assert.equal(exports.length, 2, JSON.stringify(entries));
    assert.equal(exports[0]!.who.kind, 'you');
    assert.equal(exports[0]!.kind, 'read');
    assert.equal((await verifyAuditLog(t.testStore.store.db)).ok, true);
    // SECURITY.md: the account holder is told of each export (once, not for the retry).
    const mails = (await waitForMail(t.config.dataDir, 2)).filter((m) => /Health record downloaded/.test(m.subject));
    assert.equal(mails.length, 2);
    assert.match(mails[0]!.text, /An International Patient Summary of your health record was made on a device/);
    assert.match(mails[1]!.text, /A copy of the whole record \(FHIR R4 Bundle\)/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await readOutbox(t.config.dataDir)).length, 2);
  });

  it('someone else’s record: the same 404 as one that does not exist, and the attempt audited', async () => {
    const res = await post('bo', { patientId: 'p-ann', kind: 'ips' });
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'not_found');
    const denied = await t.testStore.store.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('action', '=', 'record.access-denied')
      .execute();
    assert.equal(denied.length, 1);
  });

  it('bad input: a clear 400 naming the field', async () => {
    const kind = await post('ann', { patientId: 'p-ann', kind: 'pdf' });
    assert.equal(kind.status, 400);
    assert.match(JSON.stringify(kind.body), /fhir or ips/);
    const who = await post('ann', { patientId: '../x', kind: 'ips' });
    assert.equal(who.status, 400);
    assert.equal((await post('ann', { patientId: 'p-ann', kind: 'ips' }, '')).status, 400);
    assert.equal((await post('ann', { patientId: 'p-ann', kind: 'ips', record: {} })).status, 400);
  });
});
