import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Reads one installation fact, or undefined. */
export async function getMeta(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('app_meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Writes one installation fact (insert or replace), stamped with `now`. */
export async function setMeta(db: Kysely<Database>, key: string, value: string, now: Date): Promise<void> {
  const updated_at = now.toISOString();
  await db
    .insertInto('app_meta')
    .values({ key, value, updated_at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at }))
    .execute();
}
