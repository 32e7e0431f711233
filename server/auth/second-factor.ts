import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { ApiError } from '../errors.js';
import { sendInBackground } from '../notify/mailer.js';
import { SmsError } from '../notify/sms.js';
import { factorSummary, secondFactorMethods, type SecondFactorMethod } from './factors.js';
import { clearFailures, reserveAttempt } from './login-throttle.js';
import { hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes.js';
import type { Account, Db } from './sessions.js';
import { signCountVerdict } from './sign-count.js';
import { waitPhrase } from './throttle.js';
import { hashToken, newToken } from './tokens.js';
import { normalizeCode, verifyTotp } from './totp.js';
import {
  PasskeyRejected,
  relyingParty,
  takeChallenge,
  verifyAssertion,
  type authenticationResponseSchema,
  type ChallengeUse,
  type Credential,
} from './webauthn.js';

type Deps = Pick<AppDeps, 'store' | 'clock' | 'config' | 'mailer' | 'logger' | 'sms'>;
export type AssertionJSON = z.infer<typeof authenticationResponseSchema>;

/**
 * A sign-in, step-up or password reset that passed its first step (a password, a reset link) and waits for the
 * second: a 256-bit token the page holds in memory, stored hashed, valid ten minutes (long enough for a text to
 * arrive), spent when the second step succeeds. A text code sent for it lives in its payload, hashed.
 */
export type FlowPurpose = 'sign-in' | 'reauth' | 'reset' | 'sms-enrol';
export interface FlowPayload {
  purpose: FlowPurpose;
  /** reauth: the session it will refresh. */
  sessionHash?: string;
  /** reset: the link token it belongs to. */
  resetHash?: string;
  /** sms-enrol: the number being confirmed. */
  phone?: string;
  /** The text code sent for this flow, hashed with the flow, and until when it works. */
  sms?: { hash: string; expiresAt: string };
}
export interface Flow {
  hash: string;
  accountId: string;
  payload: FlowPayload;
}

export const FLOW_TTL_MS = 10 * 60_000;
export const SMS_CODE_TTL_MS = 10 * 60_000;
export const SMS_CODE_DIGITS = 6;

export async function createFlow(db: Db, accountId: string, payload: FlowPayload, now: Date): Promise<string> {
  const token = newToken();
  await db
    .insertInto('one_time_token')
    .values({
      hash: hashToken(token),
      purpose: 'auth-flow',
      account_id: accountId,
      patient_id: null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + FLOW_TTL_MS).toISOString(),
      used_at: null,
      payload: JSON.stringify(payload),
    })
    .execute();
  return token;
}

export async function loadFlow(db: Db, token: string, purposes: FlowPurpose[], now: Date): Promise<Flow> {
  const row = await db
    .selectFrom('one_time_token')
    .selectAll()
    .where('hash', '=', hashToken(token))
    .where('purpose', '=', 'auth-flow')
    .executeTakeFirst();
  const payload = row?.payload ? (JSON.parse(row.payload) as FlowPayload) : undefined;
  if (!row || !payload || !row.account_id || !purposes.includes(payload.purpose))
    throw new ApiError(400, 'flow_invalid', 'This step is not valid any more. Please start again.');
  if (row.used_at || new Date(row.expires_at) <= now)
    throw new ApiError(410, 'flow_expired', 'This took too long or was already finished. Please start again.');
  return { hash: row.hash, accountId: row.account_id, payload };
}

/** Marks a flow finished, exactly once when two requests race (the loser is refused). */
export async function spendFlow(db: Db, flow: Flow, now: Date): Promise<void> {
  const spent = await db
    .updateTable('one_time_token')
    .set({ used_at: now.toISOString() })
    .where('hash', '=', flow.hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1)
    throw new ApiError(410, 'flow_expired', 'This was already finished. Please start again.');
}

const smsHash = (flowHash: string, code: string) => createHash('sha256').update(`${flowHash}:${code}`).digest('hex');

/**
 * Sends a text code for a flow (SECURITY.md "restricted": 6 digits, 10 minutes, single use). A resend replaces the
 * code but leaves the failure counter alone; sends are themselves slowed after five, so the form cannot flood a
 * phone.
 */
export async function sendSmsCode(deps: Deps, flow: Flow, phone: string, ip: string | null): Promise<void> {
  const { store, clock, config } = deps;
  const now = clock.now();
  const verdict = await reserveAttempt(store, `sms-send:${flow.accountId}`, now, { neverDisable: true });
  if (!verdict.allowed)
    throw tooMany(verdict.reason === 'wait' ? verdict.retryAfterMs : 3600_000, 'We have sent several codes already.');
  const code = String(randomInt(0, 10 ** SMS_CODE_DIGITS)).padStart(SMS_CODE_DIGITS, '0');
  const payload: FlowPayload = {
    ...flow.payload,
    sms: { hash: smsHash(flow.hash, code), expiresAt: new Date(now.getTime() + SMS_CODE_TTL_MS).toISOString() },
  };
  await store.db
    .updateTable('one_time_token')
    .set({ payload: JSON.stringify(payload) })
    .where('hash', '=', flow.hash)
    .execute();
  flow.payload = payload;
  try {
    await deps.sms.send({
      to: phone,
      text: `${code} is your ${config.clinic.name} code. It works once, for 10 minutes. Never share it: we will never ask for it.`,
    });
  } catch (error) {
    if (!(error instanceof SmsError)) throw error;
    deps.logger.warn('text not sent', { error: error.message });
    await appendAudit(
      store.db,
      { actor: flow.accountId, action: 'sms-code.failed', outcome: 'failure', ip, detail: error.message.slice(0, 200) },
      now,
    );
    throw new ApiError(
      502,
      'sms_failed',
      'The text message could not be sent to that number. Check the number, or use another way.',
    );
  }
  await appendAudit(
    store.db,
    { actor: flow.accountId, action: 'sms-code.sent', outcome: 'success', ip, detail: flow.payload.purpose },
    now,
  );
}

/** Checks a text code typed for a flow, and spends it. */
export async function checkSmsCode(
  db: Db,
  flow: Flow,
  typed: string,
  now: Date,
): Promise<'ok' | 'format' | 'wrong' | 'expired'> {
  const code = normalizeCode(typed);
  if (!new RegExp(`^\\d{${SMS_CODE_DIGITS}}$`).test(code)) return 'format';
  const sent = flow.payload.sms;
  if (!sent) return 'expired';
  if (new Date(sent.expiresAt) <= now) return 'expired';
  if (!timingSafeEqual(Buffer.from(sent.hash, 'hex'), Buffer.from(smsHash(flow.hash, code), 'hex'))) return 'wrong';
  const { sms: _used, ...rest } = flow.payload;
  const spent = await db
    .updateTable('one_time_token')
    .set({ payload: JSON.stringify(rest) })
    .where('hash', '=', flow.hash)
    .where('payload', '=', JSON.stringify(flow.payload))
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) return 'expired';
  flow.payload = rest;
  return 'ok';
}

function tooMany(retryAfterMs: number, lead = 'Too many wrong attempts.'): ApiError {
  return new ApiError(429, 'too_many_attempts', `${lead} Please wait ${waitPhrase(retryAfterMs)} and try again.`);
}

/** Tells the account holder, by email, that something changed on their account's security. */
export function tellHolder(deps: Deps, account: Pick<Account, 'email'>, subject: string, sentence: string): void {
  const { config } = deps;
  sendInBackground(deps.mailer, deps.logger, {
    to: account.email,
    subject: `${subject} (${config.clinic.name})`,
    text: `${sentence}\n\nIf this was you, there is nothing more to do. If it was not, sign in and check Account → Security, or call us on ${config.clinic.support.phone}.`,
  });
}

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

/**
 * Checks a passkey assertion end to end: the challenge it answers (single use, right purpose), the credential and
 * its account, the signature, UP and UV flags, origin and rpID, then the counter policy of `sign-count.ts`.
 * Attempts are charged to the account's passkey counter; failures are audited.
 */
export async function checkPasskey(
  deps: Deps,
  response: AssertionJSON,
  use: ChallengeUse,
  ip: string | null,
): Promise<{ account: Account; credential: Credential }> {
  const { store, clock, config } = deps;
  const now = clock.now();
  const credential = await store.db
    .selectFrom('webauthn_credential')
    .selectAll()
    .where('id', '=', response.id)
    .executeTakeFirst();
  const handle = response.response.userHandle
    ? Buffer.from(response.response.userHandle, 'base64url').toString('utf8')
    : undefined;
  if (
    !credential ||
    (use.accountId && credential.account_id !== use.accountId) ||
    (handle !== undefined && handle !== credential.account_id)
  ) {
    await appendAudit(
      store.db,
      {
        actor: credential?.account_id ?? null,
        action: 'passkey.failed',
        outcome: 'failure',
        ip,
        detail: 'unknown credential',
      },
      now,
    );
    throw new ApiError(
      401,
      'passkey_unknown',
      'This passkey is not registered with this portal (it may have been removed). Sign in another way.',
    );
  }
  const account = await store.db
    .selectFrom('account')
    .selectAll()
    .where('id', '=', credential.account_id)
    .executeTakeFirstOrThrow();
  // Charged before anything is checked (a replayed or expired challenge counts too), cleared on success.
  const key = `passkey:${account.id}`;
  // Back-off, but never "disabled": a signature cannot be guessed, and anyone holding a credential id could
  // otherwise shut its owner out for good with garbage answers.
  const verdict = await reserveAttempt(store, key, now, { neverDisable: true });
  if (!verdict.allowed) {
    await appendAudit(store.db, { actor: account.id, action: 'passkey.throttled', outcome: 'throttled', ip }, now);
    throw verdict.reason === 'disabled'
      ? new ApiError(
          429,
          'method_disabled',
          'Passkey sign-in is blocked on this account after too many failures. Call support.',
        )
      : tooMany(verdict.retryAfterMs, 'Too many failed passkey attempts.');
  }
  let challenge: string;
  let issuedAt: Date;
  try {
    ({ challenge, issuedAt } = await takeChallenge(store.db, response.response.clientDataJSON, use, now));
  } catch (error) {
    if (error instanceof ApiError)
      await appendAudit(
        store.db,
        { actor: account.id, action: 'passkey.failed', outcome: 'failure', ip, detail: `challenge: ${error.code}` },
        now,
      );
    throw error;
  }
  if (account.disabled_at || credential.counter_flagged_at) {
    await appendAudit(
      store.db,
      {
        actor: account.id,
        action: 'passkey.failed',
        outcome: 'denied',
        ip,
        detail: account.disabled_at ? 'account disabled' : 'flagged passkey',
      },
      now,
    );
    throw new ApiError(
      401,
      'passkey_blocked',
      account.disabled_at
        ? 'This account is closed. Please call support.'
        : 'This passkey was blocked for safety. Sign in another way, then remove it and add it again in Account → Security.',
    );
  }
  let newCounter: number;
  try {
    ({ newCounter } = await verifyAssertion(
      relyingParty(config.publicOrigin, config.clinic.name),
      response,
      challenge,
      credential,
    ));
  } catch (error) {
    if (!(error instanceof PasskeyRejected)) throw error;
    await appendAudit(
      store.db,
      { actor: account.id, action: 'passkey.failed', outcome: 'failure', ip, detail: error.message.slice(0, 200) },
      now,
    );
    throw new ApiError(
      401,
      'passkey_rejected',
      'This passkey could not be verified. Please try again, or sign in another way.',
    );
  }
  const stored = Number(credential.counter);
  const verdictCount = signCountVerdict({
    stored,
    previous: Number(credential.prev_counter),
    received: newCounter,
    storedAt: credential.counter_at ? new Date(credential.counter_at) : null,
    challengeIssuedAt: issuedAt,
  });
  if (verdictCount === 'regressed') {
    await store.db
      .updateTable('webauthn_credential')
      .set({ counter_flagged_at: now.toISOString() })
      .where('id', '=', credential.id)
      .execute();
    await appendAudit(
      store.db,
      {
        actor: account.id,
        action: 'passkey.counter-regressed',
        outcome: 'denied',
        ip,
        target: credential.name,
        detail: `stored ${stored}, received ${newCounter}`,
      },
      now,
    );
    tellHolder(
      deps,
      account,
      'A passkey was blocked',
      `Your passkey "${credential.name}" gave an answer that a copied passkey would give, so we blocked it. Sign in another way, then remove it and add it again in Account → Security.`,
    );
    throw new ApiError(
      401,
      'passkey_blocked',
      'This passkey gave an unexpected answer and was blocked for safety. Sign in another way.',
    );
  }
  let update = store.db
    .updateTable('webauthn_credential')
    .set({ last_used_at: now.toISOString() })
    .where('id', '=', credential.id);
  // Only ever raised, in one statement, so two sign-ins racing cannot lower it.
  if (verdictCount === 'raise') {
    update = store.db
      .updateTable('webauthn_credential')
      .set((eb) => ({
        last_used_at: now.toISOString(),
        prev_counter: eb.ref('counter'),
        counter: newCounter,
        counter_at: now.toISOString(),
      }))
      .where('id', '=', credential.id)
      .where('counter', '<', newCounter);
  }
  await update.execute();
  await clearFailures(store.db, key);
  return { account, credential };
}
