import type { AppDeps } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { ApiError } from '../errors.js';
import type { Flow } from './auth-flow.js';
import { factorSummary, secondFactorMethods, type SecondFactorMethod } from './factors.js';
import { tellHolder } from './holder-notice.js';
import { clearFailures, reserveAttempt, tooMany } from './login-throttle.js';
import { checkPasskey, type AssertionJSON } from './passkey-check.js';
import { hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes.js';
import type { Account } from './sessions.js';
import { checkSmsCode } from './sms-codes.js';
import { verifyTotp } from './totp.js';

type Deps = Pick<AppDeps, 'store' | 'clock' | 'config' | 'mailer' | 'logger' | 'sms'>;

export type SecondFactorInput =
  { method: 'totp' | 'sms' | 'recovery'; code: string } | { method: 'passkey'; response: AssertionJSON };

/**
 * Checks the second step of a flow with one of the account's methods. Every attempt is charged to that method's
 * counter for the account before it is checked (NIST SP 800-63B-4 §3.2.2) and cleared when it succeeds; every
 * failure is audited and answered with a sentence for a person, never a 5xx.
 */
export async function verifySecondFactor(
  deps: Deps,
  account: Account,
  flow: Flow,
  input: SecondFactorInput,
  ip: string | null,
): Promise<SecondFactorMethod> {
  const { store, clock } = deps;
  const now = clock.now();
  const methods = secondFactorMethods(account.kind, await factorSummary(store.db, account.id));
  if (!methods.includes(input.method)) {
    await appendAudit(
      store.db,
      {
        actor: account.id,
        action: 'second-factor.failed',
        outcome: 'failure',
        ip,
        detail: `${input.method}: not set up`,
      },
      now,
    );
    throw new ApiError(
      400,
      'method_unavailable',
      'That way of confirming is not set up on this account. Choose another.',
    );
  }
  if (input.method === 'passkey') {
    await checkPasskey(
      deps,
      input.response,
      { ceremony: 'authentication', accountId: account.id, use: `flow:${flow.hash}` },
      ip,
    );
    return 'passkey';
  }
  const key = `${input.method}:${account.id}`;
  const verdict = await reserveAttempt(store, key, now);
  if (!verdict.allowed) {
    await appendAudit(
      store.db,
      { actor: account.id, action: 'second-factor.throttled', outcome: 'throttled', ip, detail: input.method },
      now,
    );
    if (verdict.reason === 'disabled')
      throw new ApiError(
        429,
        'method_disabled',
        'This way of confirming is blocked after too many wrong attempts. Use another one, or call support.',
      );
    throw tooMany(verdict.retryAfterMs);
  }
  const fail = async (status: 400 | 401 | 410, code: string, reason: string, message: string): Promise<never> => {
    await appendAudit(
      store.db,
      {
        actor: account.id,
        action: 'second-factor.failed',
        outcome: 'failure',
        ip,
        detail: `${input.method}: ${reason}`,
      },
      now,
    );
    throw new ApiError(status, code, message);
  };
  if (input.method === 'totp') {
    const row = await store.db
      .selectFrom('totp_factor')
      .selectAll()
      .where('account_id', '=', account.id)
      .executeTakeFirst();
    if (!row?.confirmed_at)
      return fail(
        400,
        'method_unavailable',
        'removed',
        'The authenticator app is no longer set up on this account. Choose another way.',
      );
    const result = verifyTotp(row.secret, input.code, now, row.last_step);
    if (!result.ok) {
      if (result.reason === 'format')
        await fail(400, 'code_format', 'format', 'The code from your authenticator app is 6 digits.');
      if (result.reason === 'replayed')
        await fail(
          401,
          'code_used',
          'replayed',
          'That code has already been used. Wait for the next code in your app.',
        );
      await fail(
        401,
        'code_wrong',
        'wrong',
        'That code is not right. Check the clock on your phone, and type the code your app shows now.',
      );
    }
    const ok = result as { ok: true; step: number };
    // Each code once, also when two requests carry it at the same moment: only one raises last_step.
    const used = await store.db
      .updateTable('totp_factor')
      .set({ last_step: ok.step })
      .where('account_id', '=', account.id)
      .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', ok.step)]))
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1)
      await fail(401, 'code_used', 'replayed', 'That code has already been used. Wait for the next code in your app.');
  } else if (input.method === 'sms') {
    const result = await checkSmsCode(store.db, flow, input.code, now);
    if (result === 'format') await fail(400, 'code_format', 'format', 'The code in the text message is 6 digits.');
    if (result === 'expired')
      await fail(410, 'code_expired', 'expired', 'That text code has expired or was used. Ask for a new one.');
    if (result === 'wrong')
      await fail(401, 'code_wrong', 'wrong', 'That code is not right. Check the latest text message and try again.');
  } else {
    const normalized = normalizeRecoveryCode(input.code);
    if (!normalized)
      await fail(400, 'code_format', 'format', 'A recovery code has 16 letters and numbers, like 7K3M-Q9XD-W2PN-4RTB.');
    const used = await store.db
      .updateTable('recovery_code')
      .set({ used_at: now.toISOString() })
      .where('hash', '=', hashRecoveryCode(normalized!))
      .where('account_id', '=', account.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1)
      await fail(
        401,
        'code_wrong',
        'wrong',
        'That recovery code is not right, or was already used. Each code works once.',
      );
    await appendAudit(store.db, { actor: account.id, action: 'recovery-code.used', outcome: 'success', ip }, now);
    // SECURITY.md: using a recovery code notifies every address on file.
    tellHolder(
      deps,
      account,
      'A recovery code was used',
      'One of the recovery codes of your portal account was just used to sign in.',
    );
    const sms = await store.db
      .selectFrom('sms_factor')
      .select('phone')
      .where('account_id', '=', account.id)
      .where('confirmed_at', 'is not', null)
      .executeTakeFirst();
    for (const phone of new Set([sms?.phone, account.phone].filter((p): p is string => Boolean(p)))) {
      void deps.sms
        .send({
          to: phone,
          text: `A recovery code of your ${deps.config.clinic.name} account was just used. Not you? Call ${deps.config.clinic.support.phone}.`,
        })
        .catch((e: Error) => deps.logger.error('text failed', { error: e.message }));
    }
  }
  await clearFailures(store.db, key);
  if (input.method === 'sms') await clearFailures(store.db, `sms-send:${account.id}`);
  return input.method;
}
