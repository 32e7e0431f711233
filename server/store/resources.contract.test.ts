import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { JsonObject } from '../fhir-json/references.js';
import { storeFactories, type TestStore } from '../testing/stores.js';
import { latestSeq, listChanges } from './changes.js';
import { countByType, findByIdentifier, getResource, readCompartment } from './resource-reads.js';
import { putResource, putResources } from './resources.js';
import { withTransaction, type Store } from './store.js';

const T0 = new Date('2026-03-01T10:00:00Z');
const obs = (id: string, patient: string, value: number, extra: JsonObject = {}): JsonObject => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { text: 'glucose' },
  subject: { reference: `Patient/${patient}` },
  valueQuantity: { value, unit: 'mg/dL' },
  ...extra,
});
const put = (store: Store, resources: JsonObject[], now = T0) =>
  withTransaction(store, (trx) => putResources(trx, store.dialect, resources, now));

for (const factory of storeFactories) {
  describe(`FHIR resource store on ${factory.name}`, () => {
    let t: TestStore;
    before(async () => {
      t = await factory.open();
    });
    after(async () => {
      await t?.cleanup();
    });

    it('creates version 1, keeps an unchanged resource as it is, and bumps the version on a change', async () => {
      const patient = {
        resourceType: 'Patient',
        id: 'p1',
        identifier: [{ system: 'urn:mrn', value: 'MRN-1' }],
        gender: 'female',
      };
      const first = await put(t.store, [patient, obs('o1', 'p1', 90)]);
      assert.deepEqual(
        first.map((r) => [r.id, r.versionId, r.outcome]),
        [
          ['p1', 1, 'created'],
          ['o1', 1, 'created'],
        ],
      );
      assert.deepEqual(first[1]!.patients, ['p1']);

      // meta.versionId / lastUpdated sent by a client are server-managed: they do not count as a change.
      const again = await put(
        t.store,
        [{ ...patient, meta: { versionId: '7', lastUpdated: '2001-01-01T00:00:00Z' } }],
        new Date('2026-03-02T00:00:00Z'),
      );
      assert.deepEqual(
        again.map((r) => [r.versionId, r.outcome]),
        [[1, 'unchanged']],
      );

      const changed = await put(t.store, [obs('o1', 'p1', 95)], new Date('2026-03-03T00:00:00Z'));
      assert.deepEqual(
        changed.map((r) => [r.versionId, r.outcome]),
        [[2, 'updated']],
      );

      const stored = await getResource(t.store.db, 'Observation', 'o1');
      assert.equal(stored?.versionId, 2);
      assert.deepEqual(stored?.resource.meta, { versionId: '2', lastUpdated: '2026-03-03T00:00:00.000Z' });
      assert.deepEqual((stored?.resource.valueQuantity as JsonObject).value, 95);
      assert.equal((await getResource(t.store.db, 'Patient', 'p1'))?.lastUpdated, T0.toISOString());
      assert.equal(await getResource(t.store.db, 'Observation', 'nope'), undefined);

      assert.deepEqual(await findByIdentifier(t.store.db, 'Patient', { system: 'urn:mrn', value: 'MRN-1' }), ['p1']);
      assert.deepEqual(await findByIdentifier(t.store.db, 'Patient', { value: 'MRN-1' }), ['p1']);
      assert.deepEqual(await findByIdentifier(t.store.db, 'Patient', { system: 'urn:other', value: 'MRN-1' }), []);

      const feed = await listChanges(t.store.db, 'p1', 0);
      assert.deepEqual(
        feed.map((c) => [c.seq, c.resourceType, c.id, c.versionId]),
        [
          [1, 'Patient', 'p1', 1],
          [2, 'Observation', 'o1', 1],
          [3, 'Observation', 'o1', 2],
        ],
      );
      assert.equal((feed[2]!.resource!.meta as JsonObject).versionId, '2');
      assert.deepEqual(
        (await listChanges(t.store.db, 'p1', 2)).map((c) => c.seq),
        [3],
      );
      assert.equal(await latestSeq(t.store.db, 'p1'), 3);
      assert.deepEqual(
        (await readCompartment(t.store.db, 'p1')).map((r) => `${r.resourceType}/${r.id}`),
        ['Observation/o1', 'Patient/p1'],
      );
    });

    it('moves a resource between compartments and tells both patients', async () => {
      await put(t.store, [obs('m1', 'pa', 1)]);
      await put(t.store, [obs('m1', 'pb', 1)]);
      const a = await listChanges(t.store.db, 'pa', 0);
      // Both of pa's changes now point at a resource that left: pa's reader drops its copy.
      assert.deepEqual(
        a.map((c) => [c.id, c.versionId, c.resource !== undefined]),
        [
          ['m1', 1, false],
          ['m1', 2, false],
        ],
      );
      const b = await listChanges(t.store.db, 'pb', 0);
      assert.deepEqual(
        b.map((c) => [c.id, c.versionId, c.resource !== undefined]),
        [['m1', 2, true]],
      );
      assert.deepEqual(await readCompartment(t.store.db, 'pa'), []);
      // A resource that refers to two patients belongs to both.
      const [both] = await put(t.store, [obs('m2', 'pa', 1, { focus: [{ reference: 'Patient/pb' }] })]);
      assert.deepEqual(both!.patients, ['pa', 'pb']);
      assert.equal((await readCompartment(t.store.db, 'pb')).length, 2);
    });

    it('writes nothing, and hands out no sequence number, when the transaction rolls back', async () => {
      const before = await latestSeq(t.store.db, 'p1');
      const counts = await countByType(t.store.db);
      await assert.rejects(
        withTransaction(t.store, async (trx) => {
          await putResource(trx, t.store.dialect, obs('rolled', 'p1', 5), T0);
          throw new Error('stop');
        }),
        /stop/,
      );
      assert.equal(await latestSeq(t.store.db, 'p1'), before);
      assert.deepEqual(await countByType(t.store.db), counts);
      await put(t.store, [obs('after', 'p1', 5)]);
      assert.deepEqual(
        (await listChanges(t.store.db, 'p1', before)).map((c) => c.seq),
        [before + 1],
      );
    });

    it('refuses the same resource twice in one call', async () => {
      await assert.rejects(put(t.store, [obs('d', 'p1', 1), obs('d', 'p1', 2)]), /same resource twice/);
    });

    it('lets several instances write the same new resources at once without errors or duplicates', async () => {
      const pools =
        factory.name === 'postgres'
          ? [t.store, await t.openAnother(), await t.openAnother(), await t.openAnother()]
          : [t.store, t.store, t.store];
      const batch = Array.from({ length: 30 }, (_, i) => obs(`same-${i}`, 'race', i));
      const results = await Promise.all(pools.map((store) => put(store, batch)));
      const outcomes = results.flat().map((r) => r.outcome);
      assert.equal(outcomes.filter((o) => o === 'created').length, 30);
      assert.equal(outcomes.filter((o) => o === 'unchanged').length, 30 * (pools.length - 1));
      assert.deepEqual(
        (await listChanges(t.store.db, 'race', 0)).map((c) => c.seq),
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      // Different content for the same new resource from two instances: one creates it, the other makes version 2.
      const [a, b] = await Promise.all([
        put(pools[0]!, [obs('contested', 'race', 1)]),
        put(pools[1]!, [obs('contested', 'race', 2)]),
      ]);
      assert.deepEqual([a![0]!.versionId, b![0]!.versionId].sort(), [1, 2]);
      const feed = await listChanges(t.store.db, 'race', 30);
      assert.deepEqual(
        feed.map((c) => [c.seq, c.id, c.versionId]),
        [
          [31, 'contested', 1],
          [32, 'contested', 2],
        ],
      );
    });

    it('gives a polling reader every change exactly once and in order while several writers commit', async () => {
      // PostgreSQL: three pools, as three server instances, each committing transactions that touch patient "feed"
      // (and sometimes "other" as well), with a pause between drawing numbers and committing, and some rollbacks.
      const writers =
        factory.name === 'postgres'
          ? [t.store, await t.openAnother(), await t.openAnother()]
          : [t.store, t.store, t.store];
      const expected: string[] = [];
      let running = 0;
      let done = false;
      const writer = async (store: Store, w: number) => {
        for (let i = 0; i < 12; i++) {
          const ids = [`w${w}-${i % 4}`, `w${w}-shared`];
          try {
            const results = await withTransaction(store, async (trx) => {
              const resources = ids.map((id, k) =>
                obs(id, 'feed', i * 10 + k, k === 1 && i % 3 === 0 ? { focus: [{ reference: 'Patient/other' }] } : {}),
              );
              const out = await putResources(trx, store.dialect, resources, T0);
              if (store.dialect === 'postgres') await sql`select pg_sleep(${(i % 4) * 0.004})`.execute(trx);
              if (i % 5 === 4) throw new Error('rollback');
              return out;
            });
            for (const r of results) if (r.outcome !== 'unchanged') expected.push(`${r.id}@${r.versionId}`);
          } catch (error) {
            if ((error as Error).message !== 'rollback') throw error;
          }
        }
      };
      const seen: string[] = [];
      const reader = async () => {
        let cursor = 0;
        for (;;) {
          const finished = done; // read before polling: after `done`, one last poll drains the feed
          const page = await listChanges(t.store.db, 'feed', cursor, 5);
          page.forEach((change, k) => {
            assert.equal(change.seq, cursor + 1 + k, `the feed skipped or repeated a number after ${cursor}`);
            seen.push(`${change.id}@${change.versionId}`);
          });
          if (page.length) cursor = page.at(-1)!.seq;
          else if (finished) return;
          else await new Promise((r) => setTimeout(r, 2));
        }
      };
      const readerDone = reader();
      running = writers.length;
      try {
        await Promise.all(
          writers.map((store, w) =>
            writer(store, w).finally(() => {
              running -= 1;
            }),
          ),
        );
      } finally {
        done = true; // also when a writer failed: the reader must stop polling
        await readerDone;
      }
      assert.equal(running, 0);
      assert.equal(seen.length, expected.length);
      assert.deepEqual([...seen].sort(), [...expected].sort());
      assert.equal(new Set(seen).size, seen.length, 'a change was delivered twice');
      // Versions of each resource arrive in increasing order.
      const lastVersion = new Map<string, number>();
      for (const item of seen) {
        const [id, version] = item.split('@') as [string, string];
        assert.ok(Number(version) > (lastVersion.get(id) ?? 0), `${item} arrived after a later version`);
        lastVersion.set(id, Number(version));
      }
      assert.ok(seen.length >= 60, `only ${seen.length} changes were made`);
    });
  });
}
