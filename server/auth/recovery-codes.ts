import { hashToken, systemRandom, type RandomSource } from './tokens.js';

/**
 * Recovery codes (SECURITY.md; NIST SP 800-63B-4 §3.1.2 look-up secrets): ten at a time, each 80 bits from a CSPRNG
 * (≥ 64 asked), written as four groups of four characters from an alphabet without look-alikes, stored as SHA-256
 * only, single use. 80 bits make a fast hash enough: a stolen table cannot be searched.
 */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U
const CHARS = 16; // 16 × 5 bits = 80 bits

export function newRecoveryCodes(random: RandomSource = systemRandom, count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = random(10); // 80 bits, read 5 at a time
    let bits = 0n;
    for (const b of bytes) bits = (bits << 8n) | BigInt(b);
    let code = '';
    for (let i = 0; i < CHARS; i++) code += ALPHABET[Number((bits >> BigInt(5 * (CHARS - 1 - i))) & 31n)];
    return code.match(/.{4}/g)!.join('-');
  });
}

/** What a person typed, made comparable: case, spaces and dashes ignored; O read as 0, I and L as 1. */
export function normalizeRecoveryCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return code.length === CHARS && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

export function hashRecoveryCode(normalized: string): string {
  return hashToken(`recovery:${normalized}`);
}
