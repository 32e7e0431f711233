import { createHmac } from 'node:crypto';

/**
 * The key that unwraps a caregiver's local copy of one person's record ([3/11]): HMAC-SHA256 (RFC 2104) keyed by the
 * account's own vault key over `caregiver-vault:<patientId>`, base64url. One key per account and person, so a copy
 * of one person's record never opens with the key of another person's (or of the account's own); it is derived,
 * not stored, so ending the grant (the server no longer answers it) is all it takes to stop handing it out.
 */
export function caregiverVaultKey(accountVaultKey: string, patientId: string): string {
  return createHmac('sha256', accountVaultKey).update(`caregiver-vault:${patientId}`).digest('base64url');
}
