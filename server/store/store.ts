import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Round trip to the database; rejects when it cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL only: the schema to work in (tests use a fresh one each). It must already exist. */
  schema?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

export class StoreOpenError extends Error {}

/** `postgres://…`/`postgresql://…` selects PostgreSQL; anything else is a SQLite file (a `sqlite:` prefix is allowed). */
export function dialectOf(databaseUrl: string): DialectName {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return 'postgres';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) && !/^sqlite:/i.test(databaseUrl)) {
    throw new StoreOpenError('DATABASE_URL must be postgres://… or the path of a SQLite file');
  }
  return 'sqlite';
}

export async function openStore(databaseUrl: string, options: OpenOptions = {}): Promise<Store> {
  const store =
    dialectOf(databaseUrl) === 'postgres' ? await openPostgres(databaseUrl, options) : openSqlite(databaseUrl);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(store.db);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

/**
 * SQLite is the embedded default for one server process. better-sqlite3 is synchronous and Kysely runs it over a
 * single connection, so transactions in this process queue one after another. Several server instances need
 * PostgreSQL. (Another process, such as the CLI, may write meanwhile: busy_timeout makes it wait its turn.)
 */
function openSqlite(databaseUrl: string): Store {
  const file = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
  let database: BetterSqlite3.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    database = new BetterSqlite3(file);
    // Acknowledged writes must survive a power cut: WAL with a full sync at each commit (SECURITY.md, Reliability).
    const mode = database.pragma('journal_mode = WAL', { simple: true });
    if (file !== ':memory:' && mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, not wal`);
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new StoreOpenError(`cannot open the SQLite database ${file}: ${(error as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return {
    db,
    dialect: 'sqlite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function openPostgres(databaseUrl: string, options: OpenOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    connectionTimeoutMillis: 5000,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  });
  // A pool error on an idle client must not crash the server; the next query reports it.
  pool.on('error', () => {});
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StoreOpenError(`cannot reach PostgreSQL: ${(error as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new StoreOpenError(`invalid schema name "${name}"`);
  return name;
}

/** Applies every pending migration. Kysely's migrator takes a lock, so several instances may start at once. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // On PostgreSQL, name the schema: without it Kysely takes a migration table found in ANY schema of the database
  // (another instance's, another test run's) for ours, and then fails to lock a table that is not in search_path.
  const migrationTableSchema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new StoreOpenError(`migration ${failed ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
  return (results ?? []).map((r) => r.migrationName);
}

const RETRYABLE = new Set([
  '40001', // PostgreSQL serialization_failure
  '40P01', // PostgreSQL deadlock_detected
  'SQLITE_BUSY',
]);

/** A unique or primary-key constraint refused the write (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_*). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  attempts?: number;
  /** Seam for tests: waits before the next attempt. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `work` in one transaction, retrying it whole when the database reports a serialization failure or a
 * deadlock (SECURITY.md: PostgreSQL transactions retry 40001 and 40P01). `work` must therefore be safe to repeat:
 * it may do nothing outside the transaction.
 */
export async function withTransaction<T>(
  store: Store,
  work: (trx: Transaction<Database>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 8;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      let builder = store.db.transaction();
      if (store.dialect === 'postgres' && options.isolation) builder = builder.setIsolationLevel(options.isolation);
      return await builder.execute(work);
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
      await sleep(Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}
