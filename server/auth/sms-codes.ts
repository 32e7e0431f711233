import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { AppDeps } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { ApiError } from '../errors.js';
import { SmsError } from '../notify/sms.js';
import type { Flow, FlowPayload } from './auth-flow.js';
import { reserveAttempt, tooMany } from './login-throttle.js';
import type { Db } from './sessions.js';
import { normalizeCode } from './totp.js';

type Deps = Pick<AppDeps, 'store' | 'clock' | 'config' | 'logger' | 'sms'>;

export const SMS_CODE_TTL_MS = 10 * 60_000;
export const SMS_CODE_DIGITS = 6;

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
