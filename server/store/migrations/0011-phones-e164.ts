import type { Kysely } from 'kysely';
import { normalizePhone } from '../../../common/phone.js';

/**
 * Phone numbers in E.164 ([2/11]): sign-up kept the mobile number as typed ("+1 (507) 555-0123") while Account and
 * text-message codes stored E.164, so a texted alert could go to a number the provider cannot read. Each stored
 * number is rewritten in E.164; one that cannot be read (typed without its country code) is removed, and the
 * person is asked for it again where it is used (Account shows "None yet"). Data only: nothing to undo.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const k = db as unknown as Kysely<{ account: { id: string; phone: string | null } }>;
  const rows = await k.selectFrom('account').select(['id', 'phone']).where('phone', 'is not', null).execute();
  for (const row of rows) {
    const e164 = normalizePhone(row.phone!) ?? null;
    if (e164 !== row.phone) await k.updateTable('account').set({ phone: e164 }).where('id', '=', row.id).execute();
  }
}

export async function down(): Promise<void> {}
