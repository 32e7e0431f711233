import type { Kysely } from 'kysely';

/**
 * The key that unwraps a caregiver's local copy of one person's record ([3/11]): 256 random bits per grant, made
 * when the copy is first opened and handed out only while that grant is live. Nothing the account holds can derive
 * it (an HMAC of the account's own key could be recomputed offline, after a revocation); a new grant after an
 * ended one gets a new key, so an old copy never opens again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('caregiver_grant').addColumn('vault_key', 'varchar(64)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('caregiver_grant').dropColumn('vault_key').execute();
}
