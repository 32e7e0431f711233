import { sql, type Kysely } from 'kysely';

/**
 * Portal accounts, their server-side sessions, single-use tokens (activation codes, email and reset links), and the
 * append-only, hash-chained audit log.
 *
 * - Secrets are never stored as themselves: sessions and tokens by SHA-256 (they carry ≥ 128 bits), passwords as
 *   argon2id PHC strings.
 * - `audit_head` is a single row holding the last sequence number and hash. Appending updates it first, which locks
 *   it until commit, so entries get gapless numbers in commit order and each hash covers the one before, also
 *   with several server instances on PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('account')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('kind', 'varchar(16)', (col) => col.notNull())
    .addColumn('patient_id', 'varchar(64)', (col) => col.unique())
    .addColumn('username', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('email', 'varchar(254)', (col) => col.notNull().unique())
    .addColumn('email_verified_at', 'varchar(32)')
    .addColumn('phone', 'varchar(32)')
    .addColumn('display_name', 'varchar(200)', (col) => col.notNull())
    .addColumn('role', 'varchar(16)')
    .addColumn('password_hash', 'text')
    .addColumn('notify_prefs', 'text', (col) => col.notNull().defaultTo('{}'))
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('disabled_at', 'varchar(32)')
    .execute();

  await db.schema
    .createTable('session')
    .addColumn('id_hash', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('account_id', 'varchar(36)', (col) => col.notNull().references('account.id').onDelete('cascade'))
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('authenticated_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('last_seen_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('expires_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('ended_at', 'varchar(32)')
    .addColumn('ended_reason', 'varchar(32)')
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(300)')
    .execute();
  await db.schema.createIndex('session_account').on('session').column('account_id').execute();

  // Failed sign-ins, one counter per account (key `account:<id>`), and per typed login name when no account has it
  // (key `login:<sha256>`), so an unknown name is throttled exactly like a known one and reveals nothing.
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'varchar(80)', (col) => col.primaryKey())
    .addColumn('failures', 'integer', (col) => col.notNull())
    .addColumn('last_failure_at', 'varchar(32)', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('one_time_token')
    .addColumn('hash', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('purpose', 'varchar(32)', (col) => col.notNull())
    .addColumn('account_id', 'varchar(36)', (col) => col.references('account.id').onDelete('cascade'))
    .addColumn('patient_id', 'varchar(64)')
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('expires_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('used_at', 'varchar(32)')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    // What the token completes, e.g. a pending sign-up (username, email, password hash): JSON, no clinical data.
    .addColumn('payload', 'text')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (col) => col.primaryKey())
    .addColumn('at', 'varchar(32)', (col) => col.notNull())
    .addColumn('actor', 'varchar(64)')
    .addColumn('on_behalf_of', 'varchar(64)')
    .addColumn('action', 'varchar(64)', (col) => col.notNull())
    .addColumn('target', 'varchar(200)')
    .addColumn('outcome', 'varchar(32)', (col) => col.notNull())
    .addColumn('ip', 'varchar(64)')
    .addColumn('detail', 'text')
    .addColumn('hash', 'varchar(64)', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').column('actor').execute();
  await db.schema.createIndex('audit_log_on_behalf_of').on('audit_log').column('on_behalf_of').execute();

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('hash', 'varchar(64)', (col) => col.notNull())
    .execute();
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_head', 'audit_log', 'one_time_token', 'login_throttle', 'session', 'account']) {
    await db.schema.dropTable(table).execute();
  }
}
