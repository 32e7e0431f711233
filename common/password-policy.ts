import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Password rules of NIST SP 800-63B-4 §3.1.1.2 (and ASVS 6.2), as one pure function both the sign-up page (live
 * feedback) and the server (the decision) use:
 * - length counted in Unicode code points after NFKC normalisation; at least 15 when the password is the only
 *   factor, 8 when the account always needs a second one; up to 128 accepted (more than the 64 required);
 * - no composition rules (no "one capital, one digit"), no hints, no forced rotation;
 * - refused when found in a list of common passwords (the 49,000 of @zxcvbn-ts/language-common), when it is one
 *   character repeated, or when it is built from the person's own username or email; each refusal says why.
 */
export const MIN_LENGTH_SINGLE_FACTOR = 15;
export const MIN_LENGTH_WITH_SECOND_FACTOR = 8;
export const MAX_LENGTH = 128;

export interface PasswordContext {
  /** 15 unless the account always requires a second factor (staff). */
  minLength?: number;
  /** Words the password must not be built from: username, email, name. */
  personal?: readonly string[];
}

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'repetitive' | 'personal';

export interface PasswordVerdict {
  ok: boolean;
  problems: { code: PasswordProblem; message: string }[];
  /** The normalised form: what is hashed and later compared. */
  normalized: string;
  length: number;
}

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  return (common ??= new Set(dictionary['passwords-common'].map((p) => p.normalize('NFKC').toLowerCase())));
}

export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export function checkPassword(password: string, context: PasswordContext = {}): PasswordVerdict {
  const minLength = context.minLength ?? MIN_LENGTH_SINGLE_FACTOR;
  const normalized = normalizePassword(password);
  const chars = [...normalized];
  const length = chars.length;
  const problems: PasswordVerdict['problems'] = [];
  if (length < minLength) {
    problems.push({
      code: 'too_short',
      message: `Use at least ${minLength} characters (this has ${length}). A few unrelated words make a long password that is easy to remember.`,
    });
  }
  if (length > MAX_LENGTH) {
    problems.push({ code: 'too_long', message: `Use at most ${MAX_LENGTH} characters.` });
  }
  const lower = normalized.toLowerCase();
  if (commonPasswords().has(lower) || commonPasswords().has(lower.replace(/\s+/g, ''))) {
    problems.push({
      code: 'common',
      message: 'This password is on a list of common passwords that attackers try first. Choose another.',
    });
  }
  if (length > 0 && new Set(chars).size === 1) {
    problems.push({ code: 'repetitive', message: 'A password of one repeated character is easy to guess.' });
  }
  // Built from the person's own name or address: once the word is removed, what remains is short, only digits
  // and symbols, or itself a common password.
  const compact = lower.replace(/[^\p{L}\p{N}]/gu, '');
  for (const word of context.personal ?? []) {
    const w = word
      .normalize('NFKC')
      .toLowerCase()
      .split('@')[0]!
      .replace(/[^\p{L}\p{N}]/gu, '');
    if (w.length < 4 || !compact.includes(w)) continue;
    const rest = compact.split(w).join('');
    if (rest.length < 10 || /^\p{N}*$/u.test(rest) || commonPasswords().has(rest)) {
      problems.push({ code: 'personal', message: 'Do not build your password from your username or email address.' });
      break;
    }
  }
  return { ok: problems.length === 0, problems, normalized, length };
}
