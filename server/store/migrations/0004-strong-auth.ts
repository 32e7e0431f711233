import type { Kysely } from 'kysely';

/**
 * Strong sign-in ([4/8]): passkeys, authenticator-app (TOTP) secrets, text-message numbers, recovery codes, and how
 * each session was authenticated.
 *
 * - `webauthn_credential`: one row per passkey; the public key only (COSE, base64url). `counter` is the highest
 *   signature counter seen; `counter_flagged_at` marks a passkey whose counter went backwards (possible clone).
 *   `prf` records whether the authenticator offered the PRF extension at registration ([8/8] unlocks the offline
 *   vault with it).
 * - `totp_factor`: the shared secret must be readable to check codes, so it is stored as it is (base32), like the
 *   authenticator app stores it; `last_step` is the last accepted 30-second step: each code works once.
 * - `recovery_code`: SHA-256 of each code (80 bits of entropy each, so a fast hash is enough).
 * - `session.auth_level`: `password`, `mfa` (password + second factor) or `passkey`; staff need `passkey`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webauthn_credential')
    .addColumn('id', 'varchar(1400)', (col) => col.primaryKey())
    .addColumn('account_id', 'varchar(36)', (col) => col.notNull().references('account.id').onDelete('cascade'))
    .addColumn('name', 'varchar(64)', (col) => col.notNull())
    .addColumn('public_key', 'text', (col) => col.notNull())
    .addColumn('counter', 'bigint', (col) => col.notNull())
    .addColumn('transports', 'varchar(200)')
    .addColumn('device_type', 'varchar(16)', (col) => col.notNull())
    .addColumn('backed_up', 'integer', (col) => col.notNull())
    .addColumn('prf', 'integer', (col) => col.notNull())
    .addColumn('aaguid', 'varchar(36)')
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('last_used_at', 'varchar(32)')
    .addColumn('counter_flagged_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('webauthn_credential_account').on('webauthn_credential').column('account_id').execute();

  await db.schema
    .createTable('totp_factor')
    .addColumn('account_id', 'varchar(36)', (col) => col.primaryKey().references('account.id').onDelete('cascade'))
    .addColumn('secret', 'varchar(64)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('confirmed_at', 'varchar(32)')
    .addColumn('last_step', 'integer')
    .execute();

  await db.schema
    .createTable('sms_factor')
    .addColumn('account_id', 'varchar(36)', (col) => col.primaryKey().references('account.id').onDelete('cascade'))
    .addColumn('phone', 'varchar(32)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('confirmed_at', 'varchar(32)')
    .execute();

  await db.schema
    .createTable('recovery_code')
    .addColumn('hash', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('account_id', 'varchar(36)', (col) => col.notNull().references('account.id').onDelete('cascade'))
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('used_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('recovery_code_account').on('recovery_code').column('account_id').execute();

  await db.schema
    .alterTable('session')
    .addColumn('auth_level', 'varchar(16)', (col) => col.notNull().defaultTo('password'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('session').dropColumn('auth_level').execute();
  for (const table of ['recovery_code', 'sms_factor', 'totp_factor', 'webauthn_credential']) {
    await db.schema.dropTable(table).execute();
  }
}
