import { checkPassword, type PasswordContext } from '../../common/password-policy.js';
import { ApiError } from '../errors.js';

/**
 * The server's half of the password rules (common/password-policy.ts, NIST SP 800-63B-4 §3.1.1.2): a password the
 * rules refuse is answered 400 `weak_password` with the first reason as the sentence and every reason as an issue
 * of the `password` field. Used wherever a person chooses a password (sign-up, reset, staff set-up, caregivers).
 */
export function requireAcceptablePassword(password: string, context: PasswordContext): void {
  const verdict = checkPassword(password, context);
  if (!verdict.ok)
    throw new ApiError(
      400,
      'weak_password',
      verdict.problems[0]!.message,
      verdict.problems.map((p) => ({ path: 'password', message: p.message })),
    );
}
