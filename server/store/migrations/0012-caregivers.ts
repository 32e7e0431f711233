import type { Kysely } from 'kysely';

/**
 * Caregivers ([3/11]): access to a patient's record that the patient grants to another person's account (a
 * caregiver), or that the care team sets up for a minor's parent or guardian (a guardian).
 *
 * - `caregiver_grant`: one row per invitation. `caregiver_account_id` stays null until someone accepts it from the
 *   emailed link (a `one_time_token` with purpose `caregiver-invite`, 7 days, only its hash stored); `scopes` is a
 *   JSON array of what they may do (`records`, `appointments`, `messages`, `refills`). Access ends at `ends_at`,
 *   when revoked (`revoked_at`, by `revoked_by`) or when the caregiver leaves (`left_at`). Rows are never deleted:
 *   the Sharing page and the access log show what was.
 * - `caregiver_consent`: each consent the patient (or, for a guardian, the person setting it up) accepted for a
 *   grant: the version of the text (common/caregiver-consent.ts), the scopes it covered, when and by whom; `seq`
 *   numbers them 1, 2, … per grant (the latest is the one in force; two within a millisecond stay in order).
 *
 * Decisions read these rows on every request (server/auth/record-access.ts), never a cache, so a revocation takes
 * effect at the next request on every server instance.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('caregiver_grant')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('patient_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('caregiver_account_id', 'varchar(36)', (col) => col.references('account.id'))
    .addColumn('invited_email', 'varchar(254)')
    .addColumn('invited_name', 'varchar(200)', (col) => col.notNull())
    .addColumn('kind', 'varchar(16)', (col) => col.notNull())
    .addColumn('scopes', 'text', (col) => col.notNull())
    .addColumn('ends_at', 'varchar(32)')
    .addColumn('invite_expires_at', 'varchar(32)')
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('accepted_at', 'varchar(32)')
    .addColumn('revoked_at', 'varchar(32)')
    .addColumn('revoked_by', 'varchar(64)')
    .addColumn('left_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('caregiver_grant_patient').on('caregiver_grant').column('patient_id').execute();
  await db.schema
    .createIndex('caregiver_grant_caregiver')
    .on('caregiver_grant')
    .columns(['caregiver_account_id', 'patient_id'])
    .execute();

  await db.schema
    .createTable('caregiver_consent')
    .addColumn('grant_id', 'varchar(36)', (col) => col.notNull().references('caregiver_grant.id'))
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('text_version', 'varchar(32)', (col) => col.notNull())
    .addColumn('scopes', 'text', (col) => col.notNull())
    .addColumn('accepted_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('accepted_by', 'varchar(64)', (col) => col.notNull())
    .addPrimaryKeyConstraint('caregiver_consent_pk', ['grant_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('caregiver_consent').execute();
  await db.schema.dropTable('caregiver_grant').execute();
}
