import type { Kysely } from 'kysely';

/**
 * Appointment requests ([8/8]): a patient may ask for an appointment without choosing a time (written offline, sent
 * from the outbox later). The request is a FHIR Appointment with status `proposed` in their record; this table is
 * the care team's queue of them, so that the queue is one indexed query rather than a scan of every Appointment.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('appointment_request')
    .addColumn('appointment_id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('patient_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('state', 'varchar(16)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('handled_at', 'varchar(32)')
    .addColumn('handled_by', 'varchar(36)')
    .execute();
  await db.schema
    .createIndex('appointment_request_open')
    .on('appointment_request')
    .columns(['state', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('appointment_request').execute();
}
