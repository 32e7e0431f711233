import { createHash, randomBytes } from 'node:crypto';

/** The seam for randomness: production reads the operating system's CSPRNG; tests may pass a fixed source. */
export type RandomSource = (bytes: number) => Buffer;
export const systemRandom: RandomSource = (bytes) => randomBytes(bytes);

/**
 * A new opaque secret (session id, link token, challenge): `bytes` bytes from a CSPRNG, base64url-encoded.
 * 32 bytes = 256 bits, above the 128 bits NIST SP 800-63B-4 §5.1 asks of a session secret.
 */
export function newToken(bytes = 32, random: RandomSource = systemRandom): string {
  if (bytes < 16) throw new RangeError('a secret token needs at least 16 bytes (128 bits)');
  return random(bytes).toString('base64url');
}

/**
 * What the database keeps of a token: its SHA-256. Tokens carry 128+ bits of entropy, so a fast unsalted hash is
 * enough to make a stolen table useless (ASVS 7.2.4: session tokens stored hashed); passwords use argon2id instead.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
