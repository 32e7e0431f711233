import type { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { ApiError } from '../errors.js';
import { tellHolder } from './holder-notice.js';
import { clearFailures, reserveAttempt, tooMany } from './login-throttle.js';
import type { Account } from './sessions.js';
import { signCountVerdict } from './sign-count.js';
import {
  PasskeyRejected,
  relyingParty,
  takeChallenge,
  verifyAssertion,
  type authenticationResponseSchema,
  type ChallengeUse,
  type Credential,
} from './webauthn.js';

type Deps = Pick<AppDeps, 'store' | 'clock' | 'config' | 'mailer' | 'logger'>;
export type AssertionJSON = z.infer<typeof authenticationResponseSchema>;

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
