import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { z } from 'zod';
import type { Selectable } from 'kysely';
import type { WebauthnCredentialTable } from '../store/schema.js';
import { ApiError } from '../errors.js';
import type { Db } from './sessions.js';
import { hashToken, newToken, systemRandom, type RandomSource } from './tokens.js';

/**
 * Passkeys (W3C WebAuthn Level 3, via @simplewebauthn/server): the relying party is the portal's public origin
 * (PUBLIC_ORIGIN): its host name is the rpID, and the origin is checked exactly. User verification is required
 * and its flag checked (SECURITY.md). Challenges are 256-bit, single use, expire after five minutes, and are kept on
 * the server (as SHA-256, like every other secret) with what they are for.
 */
export type Credential = Selectable<WebauthnCredentialTable>;

export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export function relyingParty(publicOrigin: string, clinicName: string): RelyingParty {
  return { id: new URL(publicOrigin).hostname, name: clinicName, origin: publicOrigin };
}

export const CHALLENGE_TTL_MS = 5 * 60_000;

/** What a challenge was issued for; an answer to it is accepted for that purpose only. */
export interface ChallengeUse {
  ceremony: 'registration' | 'authentication';
  /** The account it is bound to (registration, step-up, second factor), or none (passkey sign-in). */
  accountId: string | null;
  /** `sign-in`, `reauth`, `register`, `flow:<hash>` (a second factor for that sign-in or reset). */
  use: string;
}

async function storeChallenge(db: Db, challenge: string, use: ChallengeUse, now: Date): Promise<void> {
  await db
    .insertInto('one_time_token')
    .values({
      hash: hashToken(challenge),
      purpose: 'webauthn-challenge',
      account_id: use.accountId,
      patient_id: null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString(),
      used_at: null,
      payload: JSON.stringify({ ceremony: use.ceremony, use: use.use }),
    })
    .execute();
}

const b64url = z
  .string()
  .max(20_000)
  .regex(/^[A-Za-z0-9_-]*={0,2}$/, 'not base64url');

/** The JSON a browser posts for a new passkey (what @simplewebauthn/browser's startRegistration returns). */
export const registrationResponseSchema = z.object({
  id: b64url.min(1).max(1400),
  rawId: b64url.min(1).max(1400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url,
    attestationObject: b64url,
    transports: z.array(z.string().max(32)).max(10).optional(),
    authenticatorData: b64url.optional(),
    publicKey: b64url.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
  }),
  authenticatorAttachment: z.string().max(32).optional(),
  clientExtensionResults: z.object({ prf: z.object({ enabled: z.boolean().optional() }).optional() }).loose(),
});

/** The JSON a browser posts to sign in with a passkey (startAuthentication's result). */
export const authenticationResponseSchema = z.object({
  id: b64url.min(1).max(1400),
  rawId: b64url.min(1).max(1400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url,
    authenticatorData: b64url,
    signature: b64url,
    userHandle: b64url.optional(),
  }),
  authenticatorAttachment: z.string().max(32).optional(),
  clientExtensionResults: z.object({}).loose(),
});

const PASSKEY_EXPIRED = 'This passkey request has expired or was already used. Please try again.';

/**
 * Finds and spends the challenge a browser's answer signed: single use even when two answers race (the loser is
 * refused), for the ceremony and use it was issued for, within its five minutes. Returns when it was issued.
 */
export async function takeChallenge(
  db: Db,
  clientDataJSON: string,
  expected: ChallengeUse,
  now: Date,
): Promise<{ challenge: string; issuedAt: Date }> {
  let challenge: string;
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    if (typeof parsed.challenge !== 'string' || parsed.challenge.length > 200) throw new Error('no challenge');
    challenge = parsed.challenge;
  } catch {
    throw new ApiError(400, 'passkey_invalid', 'The passkey answer could not be read. Please try again.');
  }
  const row = await db
    .selectFrom('one_time_token')
    .selectAll()
    .where('hash', '=', hashToken(challenge))
    .where('purpose', '=', 'webauthn-challenge')
    .executeTakeFirst();
  const payload = row?.payload ? (JSON.parse(row.payload) as { ceremony: string; use: string }) : undefined;
  if (
    !row ||
    !payload ||
    row.used_at ||
    new Date(row.expires_at) <= now ||
    payload.ceremony !== expected.ceremony ||
    payload.use !== expected.use ||
    (expected.accountId !== null && row.account_id !== expected.accountId)
  ) {
    throw new ApiError(400, 'passkey_challenge', PASSKEY_EXPIRED);
  }
  const spent = await db
    .updateTable('one_time_token')
    .set({ used_at: now.toISOString() })
    .where('hash', '=', row.hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) throw new ApiError(400, 'passkey_challenge', PASSKEY_EXPIRED);
  return { challenge, issuedAt: new Date(row.created_at) };
}

/** Options for creating a passkey: discoverable (resident) credential, user verification required, PRF asked for. */
export async function registrationOptions(
  db: Db,
  rp: RelyingParty,
  account: { id: string; username: string; display_name: string },
  existing: Credential[],
  now: Date,
  random: RandomSource = systemRandom,
) {
  const challenge = newToken(32, random);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: account.username,
    // The user handle is the account id: opaque, no personal data (WebAuthn §14.6.1).
    userID: new Uint8Array(Buffer.from(account.id, 'utf8')),
    userDisplayName: account.display_name,
    challenge,
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({
      id: c.id,
      ...(c.transports ? { transports: JSON.parse(c.transports) as string[] } : {}),
    })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    extensions: { prf: {} },
    timeout: CHALLENGE_TTL_MS,
  });
  await storeChallenge(
    db,
    options.challenge,
    { ceremony: 'registration', accountId: account.id, use: 'register' },
    now,
  );
  return options;
}

/** Options for proving a passkey: any of the account's (second factor, step-up), or any at all (passkey sign-in). */
export async function authenticationOptions(
  db: Db,
  rp: RelyingParty,
  use: ChallengeUse,
  allow: Credential[] | undefined,
  now: Date,
  random: RandomSource = systemRandom,
) {
  const challenge = newToken(32, random);
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    challenge,
    userVerification: 'required',
    timeout: CHALLENGE_TTL_MS,
    ...(allow
      ? {
          allowCredentials: allow.map((c) => ({
            id: c.id,
            ...(c.transports ? { transports: JSON.parse(c.transports) as string[] } : {}),
          })),
        }
      : {}),
  });
  await storeChallenge(db, options.challenge, { ...use, ceremony: 'authentication' }, now);
  return options;
}

export class PasskeyRejected extends Error {}

/** Checks a new passkey against its challenge, origin and rpID, with user verification required. */
export async function verifyRegistration(
  rp: RelyingParty,
  response: z.infer<typeof registrationResponseSchema>,
  challenge: string,
) {
  let result;
  try {
    result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch (error) {
    throw new PasskeyRejected((error as Error).message);
  }
  if (!result.verified) throw new PasskeyRejected('registration not verified');
  const info = result.registrationInfo;
  return {
    id: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: response.response.transports ?? [],
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    aaguid: info.aaguid,
    prf: response.clientExtensionResults.prf?.enabled === true,
  };
}

/**
 * Checks a passkey assertion: signature over the authenticator data and client data with the stored public key,
 * the challenge, origin, rpID, and the UP and UV flags. The counter is left to `signCountVerdict` (the library is
 * given 0 so that it does not refuse on its own, and the portal's documented policy decides).
 */
export async function verifyAssertion(
  rp: RelyingParty,
  response: z.infer<typeof authenticationResponseSchema>,
  challenge: string,
  credential: Credential,
) {
  let result;
  try {
    result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: credential.id,
        publicKey: new Uint8Array(Buffer.from(credential.public_key, 'base64url')),
        counter: 0,
        ...(credential.transports ? { transports: JSON.parse(credential.transports) } : {}),
      },
    });
  } catch (error) {
    throw new PasskeyRejected((error as Error).message);
  }
  if (!result.verified) throw new PasskeyRejected('signature not verified');
  return { newCounter: result.authenticationInfo.newCounter };
}

/** The account a discoverable assertion names (its user handle is the account id we gave at registration). */
export function userHandleAccount(userHandle: string | undefined): string | undefined {
  if (!userHandle) return undefined;
  return Buffer.from(userHandle, 'base64url').toString('utf8');
}
