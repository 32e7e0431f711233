import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { passwordCookie, verifiedPatient } from '../testing/accounts.js';
import { storeFactories } from '../testing/stores.js';
import { hashPassword } from '../auth/password-hash.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { importFile } from '../fhir/import.js';
import { readJson, sharedFiles } from '../testing/fhir-data.js';
import { purgeIdempotencyKeys, requestHash } from '../http/idempotency.js';
import { listChanges } from '../store/changes.js';
import { getResource } from '../store/resource-reads.js';
import { putResources } from '../store/resources.js';
import { withTransaction } from '../store/store.js';

const PASSWORD = 'correct horse battery staple';
type Json = Record<string, any>;

for (const factory of storeFactories)
  describe(`refill requests through Idempotency-Key on ${factory.name}: exactly once, refusals with a reason`, () => {
    let t: TestApp;
    let now = new Date('2026-11-25T12:00:00Z');
    const cookies: Record<string, string> = {};
    const file = sharedFiles('patients').find((f) => f.includes('Reyna_Ziemann'))!;
    const meds = readJson(file)
      .entry.map((e) => e.resource)
      .filter((r) => r.resourceType === 'MedicationRequest') as Json[];
    const active = meds.filter((m) => m.status === 'active');
    let patientId: string;
    let accountId: string;

    const post = async (body: unknown, key: string | undefined, who = 'reyna') => {
      const res = await t.app.request('/api/refills', {
        method: 'POST',
        headers: {
          Origin: t.config.publicOrigin,
          [CSRF_HEADER]: CSRF_HEADER_VALUE,
          'Content-Type': 'application/json',
          Cookie: cookies[who]!,
          ...(key ? { 'Idempotency-Key': key } : {}),
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Json, replayed: res.headers.get('idempotent-replayed') };
    };
    const tasks = async () =>
      (await listChanges(t.testStore.store.db, patientId, 0, 5000)).filter(
        (c) => c.resourceType === 'Task' && c.resource,
      );

    before(async () => {
      t = await createTestApp({ clock: { now: () => now }, testStore: await factory.open() });
      const store = t.testStore.store;
      patientId = (await importFile(store, file, { now })).patients[0]!;
      const other = (
        await importFile(
          store,
          sharedFiles('patients').find((f) => f.includes('Margery'))!,
          { now },
        )
      ).patients[0]!;
      const hash = await hashPassword(PASSWORD);
      for (const [username, pid] of [
        ['reyna', patientId],
        ['margery', other],
      ] as const) {
        const a = await verifiedPatient(store, username, pid, hash, now);
        if (username === 'reyna') accountId = a.id;
        cookies[username] = await passwordCookie(t, username, PASSWORD);
      }
    });
    after(() => t.close());

    it('needs an Idempotency-Key: missing or malformed → 400, nothing stored', async () => {
      const body = { medicationRequestId: active[0]!.id, pharmacy: 'Main Street Pharmacy' };
      assert.equal((await post(body, undefined)).body.error, 'idempotency_key_missing');
      assert.equal((await post(body, 'short')).body.error, 'idempotency_key_invalid');
      assert.equal((await tasks()).length, 0);
    });

    it('creates a Task for the prescription once; a retry with the same key gets the same answer again', async () => {
      const body = { medicationRequestId: active[0]!.id, pharmacy: 'Main Street Pharmacy', note: 'Running low' };
      const first = await post(body, 'outbox-item-0001');
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.task.status, 'requested');
      assert.equal(first.body.task.focus.reference, `MedicationRequest/${active[0]!.id}`);
      const again = await post(body, 'outbox-item-0001');
      assert.equal(again.status, 201);
      assert.equal(again.replayed, 'true');
      assert.deepEqual(again.body, first.body);
      assert.equal((await tasks()).length, 1, 'exactly one Task, and it is in the change feed');
    });

    it('refuses the same key with a different request (422), and a second open request for the same prescription (409)', async () => {
      const reused = await post(
        { medicationRequestId: active[0]!.id, pharmacy: 'Another Pharmacy' },
        'outbox-item-0001',
      );
      assert.equal(reused.status, 422);
      const second = await post(
        { medicationRequestId: active[0]!.id, pharmacy: 'Main Street Pharmacy' },
        'outbox-item-0002',
      );
      assert.equal(second.status, 409);
      assert.equal(second.body.error, 'refill_open');
      assert.match(second.body.message, /still open/);
      assert.equal((await tasks()).length, 1);
      // Refused work does not hold the key: the item can be sent again once it is changed.
      const row = await t.testStore.store.db
        .selectFrom('idempotency_key')
        .selectAll()
        .where('key', '=', 'outbox-item-0002')
        .executeTakeFirst();
      assert.equal(row, undefined);
    });

    it('answers 409 while the same key is being carried out, and lets a retry take over a crashed attempt', async () => {
      const body = { medicationRequestId: active[1]!.id, pharmacy: 'Main Street Pharmacy' };
      const raw = JSON.stringify(body);
      // An attempt that took the key and then died before committing anything.
      await t.testStore.store.db
        .insertInto('idempotency_key')
        .values({
          account_id: accountId,
          key: 'outbox-item-0003',
          request_hash: requestHash('POST', '/api/refills', raw),
          lease_token: 'crashed',
          lease_until: new Date(now.getTime() + 60_000).toISOString(),
          response_status: null,
          response_body: null,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + 48 * 3600_000).toISOString(),
        })
        .execute();
      const busy = await post(raw, 'outbox-item-0003');
      assert.equal(busy.status, 409);
      assert.equal(busy.body.error, 'request_in_progress');
      now = new Date(now.getTime() + 61_000);
      const taken = await post(raw, 'outbox-item-0003');
      assert.equal(taken.status, 201, JSON.stringify(taken.body));
      assert.equal((await tasks()).length, 2);
    });

    it('carries out a burst of the same request exactly once', async () => {
      const body = { medicationRequestId: active[2]!.id, pharmacy: 'Main Street Pharmacy' };
      const results = await Promise.all(Array.from({ length: 8 }, () => post(body, 'outbox-item-0004')));
      const created = results.filter((r) => r.status === 201);
      assert.ok(created.length >= 1);
      assert.ok(
        results.every((r) => r.status === 201 || r.status === 409),
        results.map((r) => r.status).join(','),
      );
      assert.equal(new Set(created.map((r) => r.body.task.id)).size, 1, 'every 201 is the same Task');
      assert.equal((await tasks()).length, 3);
    });

    it("refuses a stopped prescription, someone else's (404, audited), and bad input, storing nothing", async () => {
      // The clinic stops a prescription (a new version arrives through the import path, as from the EHR).
      const current = (await getResource(t.testStore.store.db, 'MedicationRequest', active[3]!.id))!.resource;
      await withTransaction(t.testStore.store, (trx) =>
        putResources(trx, t.testStore.store.dialect, [{ ...current, status: 'stopped' }], now),
      );
      const stoppedRes = await post({ medicationRequestId: active[3]!.id, pharmacy: 'X' }, 'outbox-item-0005');
      assert.equal(stoppedRes.status, 409);
      assert.equal(stoppedRes.body.error, 'prescription_not_active');
      const foreign = await post({ medicationRequestId: active[0]!.id, pharmacy: 'X' }, 'outbox-item-0006', 'margery');
      const missing = await post(
        { medicationRequestId: 'no-such-prescription', pharmacy: 'X' },
        'outbox-item-0007',
        'margery',
      );
      assert.equal(foreign.status, 404);
      assert.deepEqual(foreign.body, missing.body);
      const denied = await t.testStore.store.db
        .selectFrom('audit_log')
        .select('target')
        .where('action', '=', 'refill.access-denied')
        .execute();
      assert.equal(denied.length, 2);
      for (const bad of [
        {},
        { medicationRequestId: active[0]!.id },
        { medicationRequestId: active[0]!.id, pharmacy: 'x'.repeat(201) },
        '{',
        { medicationRequestId: active[0]!.id, pharmacy: 'X', extra: 1 },
      ]) {
        const res = await post(bad, 'outbox-item-0008');
        assert.equal(res.status, 400, JSON.stringify(bad));
      }
      assert.equal((await tasks()).length, 3);
    });

    it('keeps keys 48 hours, then purges them', async () => {
      assert.equal(await purgeIdempotencyKeys(t.testStore.store.db, now), 0);
      assert.ok((await purgeIdempotencyKeys(t.testStore.store.db, new Date(now.getTime() + 49 * 3600_000))) >= 3);
    });
  });
