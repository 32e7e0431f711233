import type { Kysely } from 'kysely';

/**
 * Appointments ([7/8]). The clinic's schedules (FHIR Schedule) and their bookable times (FHIR Slot) are kept as
 * rows, built into FHIR on the way out; a booked visit is a FHIR Appointment in the patient's record. One row per
 * booked slot in `slot_booking`, whose primary key is the slot: the database itself refuses a second booking of
 * the same slot, on SQLite and PostgreSQL alike. Reminders are rows claimed by one job runner at a time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('visit_type')
    .addColumn('id', 'varchar(40)', (col) => col.primaryKey())
    .addColumn('name', 'varchar(100)', (col) => col.notNull())
    .addColumn('minutes', 'integer', (col) => col.notNull())
    .addColumn('bookable_online', 'integer', (col) => col.notNull())
    .addColumn('instructions', 'varchar(600)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('schedule')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('kind', 'varchar(16)', (col) => col.notNull())
    .addColumn('name', 'varchar(120)', (col) => col.notNull())
    .addColumn('practitioner_ref', 'varchar(100)')
    .addColumn('department', 'varchar(120)', (col) => col.notNull())
    .addColumn('location_name', 'varchar(120)', (col) => col.notNull())
    .addColumn('location_address', 'varchar(300)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('slot')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('schedule_id', 'varchar(64)', (col) => col.notNull().references('schedule.id'))
    .addColumn('visit_type_id', 'varchar(40)', (col) => col.notNull().references('visit_type.id'))
    .addColumn('start_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('end_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('slot_type_start').on('slot').columns(['visit_type_id', 'start_at']).execute();
  await db.schema.createIndex('slot_schedule_start').on('slot').columns(['schedule_id', 'start_at']).execute();
  await db.schema
    .createTable('slot_booking')
    .addColumn('slot_id', 'varchar(36)', (col) => col.primaryKey().references('slot.id'))
    .addColumn('appointment_id', 'varchar(36)', (col) => col.notNull())
    .addColumn('patient_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('booked_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('slot_booking_appointment').on('slot_booking').column('appointment_id').execute();
  await db.schema
    .createTable('reminder')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('appointment_id', 'varchar(36)', (col) => col.notNull())
    .addColumn('patient_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('lead', 'varchar(16)', (col) => col.notNull())
    .addColumn('due_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('state', 'varchar(16)', (col) => col.notNull())
    .addColumn('lease_until', 'varchar(32)')
    .addColumn('claimed_by', 'varchar(64)')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('sent_at', 'varchar(32)')
    .addUniqueConstraint('reminder_once', ['appointment_id', 'lead', 'due_at'])
    .execute();
  await db.schema.createIndex('reminder_due').on('reminder').columns(['state', 'due_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['reminder', 'slot_booking', 'slot', 'schedule', 'visit_type'])
    await db.schema.dropTable(table).execute();
}
