import type { Kysely } from 'kysely';

/**
 * The access log ([3/11], server/audit/access-log.ts) finds a patient's entries by `on_behalf_of` or by `target`
 * (`Patient/<id>`, `grant:<id>`). Only the first had an index, so each page read the whole audit log, which grows
 * with every sign-in. With both indexed, SQLite and PostgreSQL answer the OR from the two indexes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('audit_log_target').on('audit_log').column('target').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_log_target').execute();
}
