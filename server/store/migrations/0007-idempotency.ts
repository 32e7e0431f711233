import type { Kysely } from 'kysely';

/**
 * Idempotency keys (IETF draft-ietf-httpapi-idempotency-key-header; SECURITY.md "Reliability"): one row per account
 * and key. A request takes a lease on its row (`lease_token`, `lease_until`); the work and the stored response
 * commit in one transaction that still holds the lease, so a request is carried out exactly once however often it
 * is retried, and a crashed attempt (rolled back, lease run out) can be taken over. Rows are kept 48 hours.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_key')
    .addColumn('account_id', 'varchar(36)', (col) => col.notNull().references('account.id').onDelete('cascade'))
    .addColumn('key', 'varchar(100)', (col) => col.notNull())
    .addColumn('request_hash', 'varchar(64)', (col) => col.notNull())
    .addColumn('lease_token', 'varchar(64)', (col) => col.notNull())
    .addColumn('lease_until', 'varchar(32)', (col) => col.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('expires_at', 'varchar(32)', (col) => col.notNull())
    .addPrimaryKeyConstraint('idempotency_key_pk', ['account_id', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_key').execute();
}
