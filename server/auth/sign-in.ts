import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { maskPhone } from '../notify/sms.js';
import { factorSummary, hasSecondFactor, type FactorSummary, type SecondFactorMethod } from './factors.js';
import type { SecondFactorInput } from './second-factor.js';
import type { Account, Session } from './sessions.js';
import { authenticationResponseSchema } from './webauthn.js';

// What signing in, step-up and a password reset share: the session the page learns about, the answer that asks for
// a second step, and that second step as the page posts it.

/** What the app may know about the signed-in account. */
export function publicAccount(a: Account) {
  return {
    id: a.id,
    kind: a.kind,
    username: a.username,
    displayName: a.display_name,
    email: a.email,
    role: a.role,
    patientId: a.patient_id,
  };
}

/**
 * What the page learns about its session: the account, the limits, how it was authenticated and until when it
 * counts as fresh for step-up, and whether the account has a second factor yet (patients are guided to add one,
 * staff must add a passkey).
 */
export async function sessionInfo(
  deps: AppDeps,
  account: Account,
  session: Pick<Session, 'expires_at' | 'auth_level' | 'authenticated_at'>,
  idleExpiresAt: Date,
) {
  const factors = await factorSummary(deps.store.db, account.id);
  return {
    account: publicAccount(account),
    idleExpiresAt: idleExpiresAt.toISOString(),
    expiresAt: session.expires_at,
    idleSeconds: deps.config.session.idleMs / 1000,
    authLevel: session.auth_level,
    freshUntil: new Date(Date.parse(session.authenticated_at) + deps.config.session.freshMs).toISOString(),
    secured: hasSecondFactor(factors),
    passkeys: factors.passkeys.length,
  };
}

/** The answer when a second step is needed: the flow token, and the ways the person can finish. */
export function secondStep(flow: string, methods: SecondFactorMethod[], factors: FactorSummary) {
  return {
    step: 'second-factor' as const,
    flow,
    methods,
    ...(factors.smsPhone ? { smsTo: maskPhone(factors.smsPhone) } : {}),
  };
}

/** The token of a sign-in, step-up or reset flow waiting for its second step. */
export const flowToken = z.string().min(20).max(100);

/** A second step as the page posts it: a code typed for a method, or a passkey's answer. */
export const secondFactorBody = z.discriminatedUnion('method', [
  z.object({ flow: flowToken, method: z.enum(['totp', 'sms', 'recovery']), code: z.string().max(64) }).strict(),
  z.object({ flow: flowToken, method: z.literal('passkey'), response: authenticationResponseSchema }).strict(),
]);

export function asSecondFactorInput(body: z.infer<typeof secondFactorBody>): SecondFactorInput {
  return body.method === 'passkey'
    ? { method: 'passkey', response: body.response }
    : { method: body.method, code: body.code };
}
