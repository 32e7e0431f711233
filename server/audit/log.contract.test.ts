import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storeFactories, type TestStore } from '../testing/stores.js';
import { withTransaction } from '../store/store.js';
import { appendAudit, verifyAuditLog } from './log.js';

for (const factory of storeFactories) {
  describe(`audit log on ${factory.name}`, () => {
    let t: TestStore;
    before(async () => {
      t = await factory.open();
    });
    after(async () => {
      await t?.cleanup();
    });

    it('appends numbered, chained entries that verify', async () => {
      const now = new Date('2026-11-25T10:00:00Z');
      assert.equal(
        await appendAudit(
          t.store.db,
          { actor: null, action: 'sign-in.failed', outcome: 'failure', ip: '127.0.0.1' },
          now,
        ),
        1,
      );
      assert.equal(await appendAudit(t.store.db, { actor: 'a1', action: 'sign-in', outcome: 'success' }, now), 2);
      assert.deepEqual(await verifyAuditLog(t.store.db), { ok: true, entries: 2 });
    });

    it('drops the entry with the action when the transaction rolls back', async () => {
      await assert.rejects(
        withTransaction(t.store, async (trx) => {
          await appendAudit(trx, { actor: 'a1', action: 'sign-out', outcome: 'success' }, new Date());
          throw new Error('the action failed');
        }),
      );
      assert.equal((await t.store.db.selectFrom('audit_log').select('seq').execute()).length, 2);
      assert.deepEqual(await verifyAuditLog(t.store.db), { ok: true, entries: 2 });
    });

    it('stays gapless and chained under concurrent appends', async () => {
      const other = factory.name === 'postgres' ? await t.openAnother() : t.store;
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          withTransaction(i % 2 ? t.store : other, (trx) =>
            appendAudit(trx, { actor: `a${i}`, action: 'record.view', outcome: 'success' }, new Date()),
          ),
        ),
      );
      const seqs = (await t.store.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((r) => r.seq);
      assert.deepEqual(
        seqs,
        Array.from({ length: 32 }, (_, i) => i + 1),
      );
      assert.deepEqual(await verifyAuditLog(t.store.db), { ok: true, entries: 32 });
    });

    it('stays chained when callers append without a transaction of their own, all at once', async () => {
      const other = factory.name === 'postgres' ? await t.openAnother() : t.store;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          appendAudit(
            i % 2 ? t.store.db : other.db,
            { actor: null, action: 'sign-in.throttled', outcome: 'throttled' },
            new Date(),
          ),
        ),
      );
      assert.deepEqual(await verifyAuditLog(t.store.db), { ok: true, entries: 52 });
    });

    it('detects an edited entry and a removed last entry', async () => {
      await t.store.db.updateTable('audit_log').set({ outcome: 'success' }).where('seq', '=', 1).execute();
      assert.deepEqual(await verifyAuditLog(t.store.db), {
        ok: false,
        brokenAt: 1,
        reason: 'hash does not match the content',
      });
      await t.store.db.updateTable('audit_log').set({ outcome: 'failure' }).where('seq', '=', 1).execute();
      await t.store.db.deleteFrom('audit_log').where('seq', '=', 52).execute();
      const verdict = await verifyAuditLog(t.store.db);
      assert.equal(verdict.ok, false);
    });
  });
}
