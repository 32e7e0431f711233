import { type RandomSource, systemRandom } from './tokens.js';

// Crockford's base32: no I, L, O or U, so a code read aloud or copied from paper is hard to get wrong.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new activation code: 16 symbols (80 bits from a CSPRNG), printed as four groups of four: `7K3M-Q9XD-…`. */
export function newActivationCode(random: RandomSource = systemRandom): string {
  const bytes = random(10); // 80 bits = 16 × 5
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 15; i >= 0; i--) out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return out.match(/.{4}/g)!.join('-');
}

/** What a person typed, made comparable: case, spaces and dashes ignored; O read as 0, I and L as 1. */
export function normalizeActivationCode(typed: string): string {
  return typed.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}
