import type { Kysely } from 'kysely';

/**
 * The signature-counter policy (server/auth/sign-count.ts) tells two overlapping sign-ins from a cloned passkey by
 * the value the counter had before its last raise (`prev_counter`) and when that raise happened (`counter_at`):
 * `last_used_at` moves on every use and cannot serve.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('webauthn_credential')
    .addColumn('prev_counter', 'bigint', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('webauthn_credential').addColumn('counter_at', 'varchar(32)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webauthn_credential').dropColumn('counter_at').execute();
  await db.schema.alterTable('webauthn_credential').dropColumn('prev_counter').execute();
}
