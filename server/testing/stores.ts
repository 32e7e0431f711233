import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type OpenOptions, type Store } from '../store/store.js';

/** The PostgreSQL server the tests use; each test run works in a schema of its own that it drops afterwards. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  store: Store;
  /** What to give another process (or a second instance) to reach the same data. */
  databaseUrl: string;
  schema?: string;
  /**
   * Opens a second connection pool on the same data, as a second server instance would. PostgreSQL only: SQLite is
   * used by one process through one connection, and two connections in one process would block each other.
   */
  openAnother(): Promise<Store>;
  cleanup(): Promise<void>;
}

export interface StoreFactory {
  name: 'sqlite' | 'postgres';
  open(options?: OpenOptions): Promise<TestStore>;
}

export const sqliteFactory: StoreFactory = {
  name: 'sqlite',
  async open(options) {
    const dir = mkdtempSync(join(tmpdir(), 'mcl-sqlite-'));
    const databaseUrl = join(dir, 'test.sqlite');
    const store = await openStore(databaseUrl, options);
    return {
      store,
      databaseUrl,
      openAnother: () => Promise.reject(new Error('SQLite has one connection per process; use the same store')),
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresFactory: StoreFactory = {
  name: 'postgres',
  async open(options) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    try {
      await admin.connect();
    } catch (error) {
      throw new Error(
        `PostgreSQL is needed for the storage tests and is not reachable at ${TEST_DATABASE_URL} ` +
          `(${(error as Error).message}). Start it (.ci/run does) or set TEST_DATABASE_URL.`,
        { cause: error },
      );
    }
    await admin.query(`create schema ${schema}`);
    const store = await openStore(TEST_DATABASE_URL, { ...options, schema });
    const others: Store[] = [];
    return {
      store,
      databaseUrl: TEST_DATABASE_URL,
      schema,
      openAnother: async () => {
        const another = await openStore(TEST_DATABASE_URL, { schema });
        others.push(another);
        return another;
      },
      cleanup: async () => {
        await Promise.all([store, ...others].map((s) => s.close()));
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
      },
    };
  },
};

export const storeFactories: StoreFactory[] = [sqliteFactory, postgresFactory];
