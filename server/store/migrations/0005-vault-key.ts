import type { Kysely } from 'kysely';

/**
 * The key the server hands to a signed-in session to unwrap the account's local record on a device ([5/8]):
 * 256 random bits per account, made at first use. The device keeps only its own data key, wrapped by this one, so a
 * device's copy cannot be read without a session (until [8/8] adds unlocking with a passkey or PIN).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('account').addColumn('vault_key', 'varchar(64)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('account').dropColumn('vault_key').execute();
}
