import type { Db } from './sessions.js';
import type { Credential } from './webauthn.js';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import type { RandomSource } from './tokens.js';
import { systemRandom } from './tokens.js';

/** The ways an account can prove itself beyond a password (passkeys also work alone). */
export type SecondFactorMethod = 'passkey' | 'totp' | 'sms' | 'recovery';

export interface FactorSummary {
  passkeys: Credential[];
  totp: boolean;
  /** The confirmed text-message number, if any. */
  smsPhone: string | null;
  recoveryCodesLeft: number;
}

export async function factorSummary(db: Db, accountId: string): Promise<FactorSummary> {
  const [passkeys, totp, sms, codes] = await Promise.all([
    db
      .selectFrom('webauthn_credential')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .execute(),
    db.selectFrom('totp_factor').select('confirmed_at').where('account_id', '=', accountId).executeTakeFirst(),
    db
      .selectFrom('sms_factor')
      .select(['phone', 'confirmed_at'])
      .where('account_id', '=', accountId)
      .executeTakeFirst(),
    db
      .selectFrom('recovery_code')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    passkeys,
    totp: Boolean(totp?.confirmed_at),
    smsPhone: sms?.confirmed_at ? sms.phone : null,
    recoveryCodesLeft: Number(codes.n),
  };
}

/** Has the account a factor that a password sign-in must now be followed by (NIST SP 800-63B-4 AAL2)? */
export function hasSecondFactor(f: FactorSummary): boolean {
  return f.passkeys.length > 0 || f.totp || f.smsPhone !== null;
}

/**
 * Which second factors a password sign-in (or a reset, or a step-up) may be completed with. Staff use passkeys
 * only. Recovery codes count only while some are left. Text codes are offered only beside a passkey or app when
 * the account has one (SECURITY.md: a non-restricted alternative is always offered).
 */
export function secondFactorMethods(kind: 'patient' | 'staff', f: FactorSummary): SecondFactorMethod[] {
  if (kind === 'staff') return f.passkeys.length ? ['passkey'] : [];
  const methods: SecondFactorMethod[] = [];
  if (f.passkeys.length) methods.push('passkey');
  if (f.totp) methods.push('totp');
  if (f.smsPhone) methods.push('sms');
  if (f.recoveryCodesLeft > 0 && hasSecondFactor(f)) methods.push('recovery');
  return methods;
}

/** Replaces the account's recovery codes with ten new ones and returns them (to be shown once). */
export async function replaceRecoveryCodes(
  db: Db,
  accountId: string,
  now: Date,
  random: RandomSource = systemRandom,
): Promise<string[]> {
  const codes = newRecoveryCodes(random);
  await db.deleteFrom('recovery_code').where('account_id', '=', accountId).execute();
  await db
    .insertInto('recovery_code')
    .values(
      codes.map((code) => ({
        hash: hashRecoveryCode(code.replace(/-/g, '')),
        account_id: accountId,
        created_at: now.toISOString(),
        used_at: null,
      })),
    )
    .execute();
  return codes;
}

/** Public view of a passkey for Account → Security. */
export function passkeyView(c: Credential) {
  return {
    id: c.id,
    name: c.name,
    createdAt: c.created_at,
    lastUsedAt: c.last_used_at,
    syncs: c.backed_up === 1,
    prf: c.prf === 1,
    flagged: c.counter_flagged_at !== null,
  };
}
