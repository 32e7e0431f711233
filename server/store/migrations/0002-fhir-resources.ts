import type { Kysely } from 'kysely';

/**
 * FHIR resources by patient compartment, with a per-patient change feed.
 *
 * - `fhir_resource`: the current version of each resource, as FHIR JSON text without the server-managed
 *   `meta.versionId` / `meta.lastUpdated` (those live in columns and are put back when read).
 * - `fhir_compartment`: which Patient compartments a resource belongs to (every Patient it refers to; a Patient
 *   belongs to its own). Resources such as Practitioner or Organization usually belong to none.
 * - `fhir_identifier`: the resource's business identifiers, to resolve conditional references
 *   (`Practitioner?identifier=system|value`) and conditional creates.
 * - `fhir_patient_seq` + `fhir_change`: every write appends a change row per compartment with a sequence number
 *   allocated from the patient's counter row in the same transaction. The counter row stays locked until commit,
 *   so per patient the numbers commit in order and without gaps: a reader paging with `seq > cursor` never skips one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fhir_resource')
    .addColumn('resource_type', 'varchar(64)', (col) => col.notNull())
    .addColumn('id', 'varchar(64)', (col) => col.notNull())
    .addColumn('version_id', 'integer', (col) => col.notNull())
    .addColumn('last_updated', 'varchar(32)', (col) => col.notNull())
    .addColumn('content', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('fhir_resource_pk', ['resource_type', 'id'])
    .execute();

  await db.schema
    .createTable('fhir_compartment')
    .addColumn('patient_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('resource_type', 'varchar(64)', (col) => col.notNull())
    .addColumn('id', 'varchar(64)', (col) => col.notNull())
    .addPrimaryKeyConstraint('fhir_compartment_pk', ['patient_id', 'resource_type', 'id'])
    .execute();
  await db.schema
    .createIndex('fhir_compartment_resource')
    .on('fhir_compartment')
    .columns(['resource_type', 'id'])
    .execute();

  await db.schema
    .createTable('fhir_identifier')
    .addColumn('resource_type', 'varchar(64)', (col) => col.notNull())
    .addColumn('system', 'text', (col) => col.notNull())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('id', 'varchar(64)', (col) => col.notNull())
    .addPrimaryKeyConstraint('fhir_identifier_pk', ['resource_type', 'value', 'system', 'id'])
    .execute();
  await db.schema
    .createIndex('fhir_identifier_resource')
    .on('fhir_identifier')
    .columns(['resource_type', 'id'])
    .execute();

  await db.schema
    .createTable('fhir_patient_seq')
    .addColumn('patient_id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('seq', 'integer', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('fhir_change')
    .addColumn('patient_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('resource_type', 'varchar(64)', (col) => col.notNull())
    .addColumn('id', 'varchar(64)', (col) => col.notNull())
    .addColumn('version_id', 'integer', (col) => col.notNull())
    .addColumn('changed_at', 'varchar(32)', (col) => col.notNull())
    .addPrimaryKeyConstraint('fhir_change_pk', ['patient_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['fhir_change', 'fhir_patient_seq', 'fhir_identifier', 'fhir_compartment', 'fhir_resource']) {
    await db.schema.dropTable(table).execute();
  }
}
