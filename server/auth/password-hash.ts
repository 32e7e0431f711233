import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { normalizePassword } from '../../common/password-policy.js';

/**
 * argon2id with OWASP's minimum (m = 19 MiB, t = 2, p = 1) and a fresh 16-byte salt per hash (the library draws it
 * from the OS CSPRNG and writes it into the PHC string). Passwords are NFKC-normalised before hashing, so the same
 * password typed on another keyboard still matches.
 */
// Algorithm.Argon2id is a const enum (value 2), which isolated modules cannot read by name.
const ARGON2ID = 2 as Algorithm;
export const ARGON2_PARAMS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** At most two hashes at once (one per core here), twenty waiting; beyond that BusyError. */
export const passwordHashing = new ConcurrencyLimit(2, 20);

export function hashPassword(password: string, limit = passwordHashing): Promise<string> {
  return limit.run(() => hash(normalizePassword(password), ARGON2_PARAMS));
}

export async function verifyPassword(phc: string, password: string, limit = passwordHashing): Promise<boolean> {
  return limit.run(async () => {
    try {
      return await verify(phc, normalizePassword(password));
    } catch {
      return false; // a malformed stored hash never matches
    }
  });
}

let dummy: Promise<string> | undefined;
/**
 * A real hash of a random secret, verified against when an account does not exist, so "no such account" costs the
 * same time as "wrong password" (SECURITY.md: no measurable timing difference).
 */
export function dummyHash(): Promise<string> {
  return (dummy ??= hash(crypto.randomUUID(), ARGON2_PARAMS));
}
