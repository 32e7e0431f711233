import { Secret, TOTP } from 'otpauth';
import { systemRandom, type RandomSource } from './tokens.js';

/**
 * Authenticator-app codes (RFC 6238 TOTP over RFC 4226 HOTP), with the rules of SECURITY.md and NIST SP 800-63B-4
 * §3.1.4: a secret of 160 bits from a CSPRNG, SHA-1, 6 digits, 30-second steps, at most one step of clock drift
 * either way, the server's clock only, and each code accepted once (the caller stores the step that was used and
 * passes it back as `lastStep`).
 */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_WINDOW = 1;
export const TOTP_SECRET_BYTES = 20; // 160 bits (RFC 4226 §4 R6 recommends 160)

/** A new shared secret, base32 as authenticator apps take it. */
export function newTotpSecret(random: RandomSource = systemRandom): string {
  const bytes = random(TOTP_SECRET_BYTES);
  return new Secret({ buffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer })
    .base32;
}

/** The otpauth:// URI the QR code carries (Key Uri Format): issuer and account name, no clinical detail. */
export function totpUri(secret: string, issuer: string, accountName: string): string {
  return new TOTP({
    issuer,
    label: accountName,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The 30-second step a moment falls in (RFC 6238 §4.2: T = floor((now - T0) / X), T0 = 0). */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for a step; for tests and for showing nothing else (the server never sends codes). */
export function totpCode(secret: string, now: Date): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp: now.getTime(),
  });
}

export type TotpVerdict = { ok: true; step: number } | { ok: false; reason: 'format' | 'wrong' | 'replayed' };

/** What a person typed, made comparable: spaces and dashes ignored ("123 456" is fine). */
export function normalizeCode(typed: string): string {
  return typed.replace(/[\s-]/g, '');
}

/**
 * Checks a typed code. `format`: not exactly six digits. `wrong`: not the code of this step or the one either side
 * of it (a code from two steps ago is wrong). `replayed`: the code of a step at or before the last accepted one.
 */
export function verifyTotp(secret: string, typed: string, now: Date, lastStep: number | null): TotpVerdict {
  const code = normalizeCode(typed);
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code)) return { ok: false, reason: 'format' };
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp: now.getTime(),
    window: TOTP_WINDOW,
  });
  if (delta === null) return { ok: false, reason: 'wrong' };
  const step = totpStep(now) + delta;
  if (lastStep !== null && step <= lastStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}
