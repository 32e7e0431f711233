import { randomUUID } from 'node:crypto';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { getResource } from '../store/resource-reads.js';
import { getMeta, setMeta } from '../store/meta.js';
import { withTransaction, type Store } from '../store/store.js';
import { CARE_SCOPES, CURRENT_GUARDIAN_ATTESTATION } from '../../common/caregiver-consent.js';
import { auditGrant, grantDetail, insertConsent, type GrantRow } from './grants.js';

/** app_meta key recording that the demo guardian was set up in this database (or why not). */
export const DEMO_GUARDIAN_KEY = 'demo-guardian';

/**
 * The demo clinic's guardian ([3/11]): Maya Alvarez's mother, with her own portal account and an activated
 * guardian grant for Maya, as if the care team had set it up and she had accepted. The password is published (it
 * is printed at start and in the README), like everything in the demo: real use starts from a new DATA_DIR or with
 * DEMO_DATA=off.
 */
export const DEMO_GUARDIAN = {
  username: 'sofia.alvarez',
  password: 'sunlit harbor kite',
  email: 'sofia.alvarez@example.com',
  name: 'Sofia Alvarez',
  child: { id: 'demo-maya-alvarez', name: 'Maya Alvarez' },
} as const;

export type DemoGuardianState = { status: 'added-now' | 'added-before' } | { status: 'skipped'; reason: string };

/**
 * Adds the demo guardian once per database, when the demo's Maya Alvarez is in it: in one transaction with the
 * app_meta record, so a restart (or a second instance) does not add her again.
 */
export async function loadDemoGuardianOnce(store: Store, now: Date): Promise<DemoGuardianState> {
  const previous = await getMeta(store.db, DEMO_GUARDIAN_KEY);
  if (previous === 'added') return { status: 'added-before' };
  if (previous !== undefined) return { status: 'skipped', reason: previous };
  const { child } = DEMO_GUARDIAN;
  if (!(await getResource(store.db, 'Patient', child.id))) return { status: 'skipped', reason: 'no demo child' };
  const taken = await store.db
    .selectFrom('account')
    .select('id')
    .where((eb) => eb.or([eb('username', '=', DEMO_GUARDIAN.username), eb('email', '=', DEMO_GUARDIAN.email)]))
    .executeTakeFirst();
  if (taken) {
    const reason = 'an account with the demo guardian’s name already exists';
    await setMeta(store.db, DEMO_GUARDIAN_KEY, reason, now);
    return { status: 'skipped', reason };
  }
  const passwordHash = await hashPassword(DEMO_GUARDIAN.password);
  await withTransaction(store, async (trx) => {
    const account = await createAccount(
      trx,
      {
        kind: 'patient',
        patientId: null,
        username: DEMO_GUARDIAN.username,
        email: DEMO_GUARDIAN.email,
        displayName: DEMO_GUARDIAN.name,
        passwordHash,
      },
      now,
    );
    await trx
      .updateTable('account')
      .set({ email_verified_at: now.toISOString() })
      .where('id', '=', account.id)
      .execute();
    const at = now.toISOString();
    const row: GrantRow = {
      id: randomUUID(),
      patient_id: child.id,
      caregiver_account_id: account.id,
      invited_email: DEMO_GUARDIAN.email,
      invited_name: DEMO_GUARDIAN.name,
      kind: 'guardian',
      scopes: JSON.stringify(CARE_SCOPES),
      ends_at: null,
      invite_expires_at: null,
      created_by: 'demo',
      created_at: at,
      accepted_at: at,
      revoked_at: null,
      revoked_by: null,
      left_at: null,
      vault_key: null,
    };
    await trx.insertInto('caregiver_grant').values(row).execute();
    const version = CURRENT_GUARDIAN_ATTESTATION.version;
    await insertConsent(trx, row.id, version, CARE_SCOPES, 'demo', now);
    await insertConsent(trx, row.id, version, CARE_SCOPES, account.id, now);
    const detail = grantDetail(CARE_SCOPES, null, version);
    await auditGrant(trx, { actor: 'demo', grant: row, action: 'caregiver.guardian-added', ip: null, detail }, now);
    await auditGrant(trx, { actor: account.id, grant: row, action: 'caregiver.accepted', ip: null, detail }, now);
    await setMeta(trx, DEMO_GUARDIAN_KEY, 'added', now);
  });
  return { status: 'added-now' };
}

/** The console lines about the demo guardian. */
export function demoGuardianLines(state: DemoGuardianState): string[] {
  if (state.status === 'skipped') return [];
  const g = DEMO_GUARDIAN;
  return [
    `Demo guardian: ${g.name}, parent of ${g.child.name}: sign in as ${g.username} with the password "${g.password}"`,
    `  (she acts for ${g.child.name.split(' ')[0]} by the clinic's age rules; set up others: npm run cli -- guardian add, or Staff → Guardians).`,
  ];
}
