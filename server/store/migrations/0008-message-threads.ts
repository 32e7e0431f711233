import type { Kysely } from 'kysely';

/**
 * The care team's view of secure-message conversations ([6/8]). The messages themselves are FHIR Communication
 * resources in the patient's record; this table is the inbox index beside them: which team a conversation is
 * for, when it last moved and who spoke last (unanswered), whether staff read it since, and whether it was
 * marked handled, so the inbox is one indexed query rather than a scan of every Communication.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('message_thread')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('patient_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('team_key', 'varchar(100)', (col) => col.notNull())
    .addColumn('team_name', 'varchar(200)', (col) => col.notNull())
    .addColumn('subject', 'varchar(200)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('last_message_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('last_from', 'varchar(16)', (col) => col.notNull())
    .addColumn('staff_read_at', 'varchar(32)')
    .addColumn('handled_at', 'varchar(32)')
    .addColumn('handled_by', 'varchar(36)')
    .execute();
  await db.schema
    .createIndex('message_thread_inbox')
    .on('message_thread')
    .columns(['handled_at', 'last_message_at'])
    .execute();
  await db.schema.createIndex('message_thread_patient').on('message_thread').column('patient_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('message_thread').execute();
}
