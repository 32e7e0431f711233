import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { migrations } from './migrations/index.js';
import { getMeta, setMeta } from './meta.js';
import { dialectOf, migrateToLatest, openStore, StoreOpenError, withTransaction } from './store.js';
import { storeFactories, type TestStore } from '../testing/stores.js';
import { createAccount } from '../auth/accounts.js';

// One contract, two databases: every test here runs on SQLite (the embedded default) and on PostgreSQL.
for (const factory of storeFactories) {
  describe(`storage contract on ${factory.name}`, () => {
    let t: TestStore;
    before(async () => {
      t = await factory.open();
    });
    after(async () => {
      await t?.cleanup();
    });

    it('applies every migration at open, and a second run applies none', async () => {
      const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(t.store.db);
      assert.deepEqual(
        rows.rows.map((r) => r.name),
        Object.keys(migrations).sort(),
      );
      assert.deepEqual(await migrateToLatest(t.store.db), []);
    });

    it('rewrites phone numbers kept as typed into E.164, and drops one it cannot read (0011)', async () => {
      const now = new Date('2026-12-01T00:00:00Z');
      const ids: string[] = [];
      for (const [n, phone] of [
        ['typed', '+1 (507) 555-0123'],
        ['local', '507 555 0123'],
        ['fine', '+447700900123'],
      ] as const) {
        const a = await createAccount(
          t.store.db,
          { kind: 'patient', username: `phone-${n}`, email: `phone-${n}@example.com`, displayName: n },
          now,
        );
        await t.store.db.updateTable('account').set({ phone }).where('id', '=', a.id).execute();
        ids.push(a.id);
      }
      await migrations['0011-phones-e164']!.up(t.store.db as never);
      const phones = await t.store.db.selectFrom('account').select(['id', 'phone']).where('id', 'in', ids).execute();
      const byId = new Map(phones.map((p) => [p.id, p.phone]));
      assert.deepEqual(
        ids.map((id) => byId.get(id)),
        ['+15075550123', null, '+447700900123'],
      );
    });

    it('keeps caregiver grants and their consents, a consent only for a grant that exists (0012)', async () => {
      const at = '2026-11-25T12:00:00.000Z';
      await t.store.db
        .insertInto('caregiver_grant')
        .values({
          id: 'grant-contract',
          patient_id: 'pat-contract',
          caregiver_account_id: null,
          invited_email: 'carer@example.com',
          invited_name: 'Cal',
          kind: 'caregiver',
          scopes: '["records"]',
          ends_at: null,
          invite_expires_at: at,
          created_by: 'someone',
          created_at: at,
          accepted_at: null,
          revoked_at: null,
          revoked_by: null,
          left_at: null,
        })
        .execute();
      const consent = {
        grant_id: 'grant-contract',
        text_version: '1',
        scopes: '["records"]',
        accepted_at: at,
        accepted_by: 'someone',
      };
      await t.store.db
        .insertInto('caregiver_consent')
        .values({ seq: 1, ...consent })
        .execute();
      await assert.rejects(
        t.store.db
          .insertInto('caregiver_consent')
          .values({ seq: 1, ...consent })
          .execute(),
      );
      await assert.rejects(
        t.store.db
          .insertInto('caregiver_consent')
          .values({ seq: 1, ...consent, grant_id: 'no-such-grant' })
          .execute(),
      );
      const row = await t.store.db
        .selectFrom('caregiver_grant')
        .innerJoin('caregiver_consent', 'caregiver_consent.grant_id', 'caregiver_grant.id')
        .select(['caregiver_grant.caregiver_account_id', 'caregiver_consent.text_version'])
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { caregiver_account_id: null, text_version: '1' });
    });

    it('answers a ping', async () => {
      await t.store.ping();
    });

    it('writes, replaces and reads installation facts', async () => {
      assert.equal(await getMeta(t.store.db, 'demo-loaded'), undefined);
      await setMeta(t.store.db, 'demo-loaded', 'no', new Date('2026-01-01T00:00:00Z'));
      await setMeta(t.store.db, 'demo-loaded', 'yes', new Date('2026-01-02T00:00:00Z'));
      assert.equal(await getMeta(t.store.db, 'demo-loaded'), 'yes');
      const row = await t.store.db
        .selectFrom('app_meta')
        .selectAll()
        .where('key', '=', 'demo-loaded')
        .executeTakeFirstOrThrow();
      assert.equal(row.updated_at, '2026-01-02T00:00:00.000Z');
    });

    it('leaves nothing behind when a transaction fails half-way', async () => {
      await assert.rejects(
        withTransaction(t.store, async (trx) => {
          await trx.insertInto('app_meta').values({ key: 'half', value: '1', updated_at: 'x' }).execute();
          // The same key again violates the primary key: the whole transaction must roll back.
          await trx.insertInto('app_meta').values({ key: 'half', value: '2', updated_at: 'x' }).execute();
        }),
      );
      assert.equal(await getMeta(t.store.db, 'half'), undefined);
    });

    it('keeps concurrent read-modify-write transactions from losing updates (40 increments)', async () => {
      // PostgreSQL: two pools, as two server instances. SQLite is one process with one connection (see store.ts).
      const other = factory.name === 'postgres' ? await t.openAnother() : t.store;
      await setMeta(t.store.db, 'counter', '0', new Date());
      const increment = (store: typeof t.store) =>
        withTransaction(
          store,
          async (trx) => {
            const row = await trx
              .selectFrom('app_meta')
              .select('value')
              .where('key', '=', 'counter')
              .executeTakeFirstOrThrow();
            await trx
              .updateTable('app_meta')
              .set({ value: String(Number(row.value) + 1) })
              .where('key', '=', 'counter')
              .execute();
          },
          { isolation: 'serializable', attempts: 50 },
        );
      await Promise.all(Array.from({ length: 40 }, (_, i) => increment(i % 2 ? t.store : other)));
      assert.equal(await getMeta(t.store.db, 'counter'), '40');
    });

    if (factory.name === 'postgres') {
      it('lets several instances start on the same database at once (migrations are locked)', async () => {
        const [a, b] = await Promise.all([t.openAnother(), t.openAnother()]);
        await a.ping();
        await b.ping();
      });
    }
  });
}

describe('SQLite settings', () => {
  it('opens in WAL mode with synchronous=FULL and foreign keys on', async () => {
    const t = await storeFactories[0]!.open();
    try {
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(t.store.db)).rows[0] as object)[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('synchronous'), 2); // 2 = FULL
      assert.equal(await pragma('foreign_keys'), 1);
    } finally {
      await t.cleanup();
    }
  });

  it('reports a file it cannot create with a clear error', async () => {
    // A data folder that is really a file: the folder cannot be created.
    const dir = mkdtempSync(join(tmpdir(), 'mcl-notdir-'));
    writeFileSync(join(dir, 'file'), '');
    const target = join(dir, 'file', 'db.sqlite');
    await assert.rejects(openStore(target), (error: unknown) => {
      assert.ok(error instanceof StoreOpenError);
      assert.ok(error.message.startsWith(`cannot open the SQLite database ${target}: `), error.message);
      return true;
    });
    rmSync(dir, { recursive: true });
  });
});

describe('database URL', () => {
  it('selects the dialect from the URL', () => {
    assert.equal(dialectOf('postgres://u@h/db'), 'postgres');
    assert.equal(dialectOf('postgresql://u@h/db'), 'postgres');
    assert.equal(dialectOf('./data/x.sqlite'), 'sqlite');
    assert.equal(dialectOf('sqlite:./data/x.sqlite'), 'sqlite');
    assert.throws(() => dialectOf('mysql://u@h/db'), /postgres:\/\/… or the path of a SQLite file/);
  });

  it('reports an unreachable PostgreSQL server with a clear error', async () => {
    await assert.rejects(openStore('postgres://nobody@127.0.0.1:1/none'), /cannot reach PostgreSQL/);
  });
});
