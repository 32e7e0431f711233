import { z } from 'zod';

/**
 * The SMART Health Link manifest exchange ([4/11], SMART Health Links specification): the recipient POSTs this to the
 * link's `url` and gets the list of files back. `recipient` says who is opening it (a person or a system, shown to
 * the patient); `passcode` only for a link flagged P; `embeddedLengthMax` how long a file may be to come inline.
 */
export const manifestRequestSchema = z
  .object({
    recipient: z.string().trim().min(1, 'Say who is opening the link (recipient).').max(200),
    passcode: z.string().min(1).max(200).optional(),
    embeddedLengthMax: z.number().int().nonnegative().optional(),
  })
  .strict();

export type ManifestRequest = z.infer<typeof manifestRequestSchema>;

export const manifestFileSchema = z.object({
  contentType: z.enum(['application/fhir+json', 'application/smart-health-card', 'application/smart-api-access']),
  embedded: z.string().optional(),
  location: z.url().optional(),
});

export const manifestResponseSchema = z.object({ files: z.array(manifestFileSchema) });

/** What the server knows of one link when a manifest request arrives (no key: it never has it). */
export interface LinkState {
  passcode: boolean;
  expiresAt: Date | null;
  revokedAt: Date | null;
  failedPasscodes: number;
}

/**
 * What to answer a manifest request for a link, given the passcode sent: none, or right or wrong (the outcome of a
 * constant-time comparison of a hash, done by the caller; either, for a link without one). The specification:
 * a link no longer active (revoked, expired, or disabled by too many wrong passcodes) answers 404; a wrong or missing
 * passcode 401 with `remainingAttempts`; a passcode sent to a link without one is the caller's mistake (400).
 */
export function manifestDecision(
  link: LinkState,
  passcode: 'none' | 'right' | 'wrong',
  now: Date,
  attemptLimit: number,
):
  | { status: 200 }
  | { status: 404 }
  | { status: 400; reason: string }
  | { status: 401; remainingAttempts: number; countFailure: boolean } {
  const inactive =
    link.revokedAt !== null ||
    (link.expiresAt !== null && link.expiresAt.getTime() <= now.getTime()) ||
    (link.passcode && link.failedPasscodes >= attemptLimit);
  if (inactive) return { status: 404 };
  if (!link.passcode) {
    return passcode !== 'none'
      ? { status: 400, reason: 'This link has no passcode: send the request without one.' }
      : { status: 200 };
  }
  if (passcode === 'none')
    return { status: 401, remainingAttempts: attemptLimit - link.failedPasscodes, countFailure: false };
  if (passcode === 'right') return { status: 200 };
  return { status: 401, remainingAttempts: Math.max(0, attemptLimit - link.failedPasscodes - 1), countFailure: true };
}
