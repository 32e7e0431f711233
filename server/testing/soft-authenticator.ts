import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encodeCBOR, type CBORType } from '@levischuck/tiny-cbor';

/**
 * A software passkey for server tests: a real P-256 key pair that answers WebAuthn registration and
 * authentication options with correctly encoded client data, authenticator data (rpIdHash, flags, counter,
 * attested credential data with a COSE key) and an ECDSA signature, so @simplewebauthn/server verifies it for real.
 * Knobs make the answers wrong in the ways an attacker or a broken authenticator would (WebAuthn Level 3 §6.1).
 * The end-to-end tests use Chromium's own virtual authenticator instead.
 */
export interface Tamper {
  /** Clear the user-presence (UP, 0x01) or user-verification (UV, 0x04) flag. */
  up?: boolean;
  uv?: boolean;
  /** Sign with a key the portal does not know. */
  badSignature?: boolean;
  origin?: string;
  rpId?: string;
  /** Use this signature counter instead of the next one. */
  counter?: number;
  /** Answer a different challenge than the one given. */
  challenge?: string;
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(16).toString('base64url');
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private readonly stranger: KeyObject = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  counter = 0;
  userHandle: string | undefined;

  constructor(
    readonly origin: string,
    /** Increase the counter at each signature (false: a synced passkey that always says 0). */
    readonly counts = true,
  ) {}

  private authData(rpId: string, flags: number, counter: number, attested?: Uint8Array): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([
      createHash('sha256').update(rpId).digest(),
      Buffer.from([flags]),
      count,
      ...(attested ? [Buffer.from(attested)] : []),
    ]);
  }

  private flags(t: Tamper, extra = 0): number {
    return (t.up === false ? 0 : 0x01) | (t.uv === false ? 0 : 0x04) | extra;
  }

  private clientData(type: string, challenge: string, t: Tamper): Buffer {
    return Buffer.from(
      JSON.stringify({
        type,
        challenge: t.challenge ?? challenge,
        origin: t.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }

  /** Answers `navigator.credentials.create()` options (attestation "none"). */
  register(options: { challenge: string; rp: { id?: string }; user: { id: string } }, t: Tamper = {}, prf = true) {
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    const cose = encodeCBOR(
      new Map<number, CBORType>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
        [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
      ]),
    );
    const id = Buffer.from(this.credentialId, 'base64url');
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, id, Buffer.from(cose)]);
    const authData = this.authData(t.rpId ?? options.rp.id!, this.flags(t, 0x40), this.counter, attested);
    this.userHandle = options.user.id;
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key' as const,
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge, t).toString('base64url'),
        attestationObject: Buffer.from(
          encodeCBOR(
            new Map<string, CBORType>([
              ['fmt', 'none'],
              ['attStmt', new Map<string, CBORType>()],
              ['authData', new Uint8Array(authData)],
            ]),
          ),
        ).toString('base64url'),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: prf ? { prf: { enabled: true } } : {},
    };
  }

  /** Answers `navigator.credentials.get()` options. */
  authenticate(options: { challenge: string; rpId?: string }, t: Tamper = {}) {
    if (this.counts) this.counter += 1;
    const counter = t.counter ?? this.counter;
    const authData = this.authData(t.rpId ?? options.rpId!, this.flags(t), counter);
    const clientData = this.clientData('webauthn.get', options.challenge, t);
    const signed = Buffer.concat([authData, createHash('sha256').update(clientData).digest()]);
    const signature = sign('sha256', signed, t.badSignature ? this.stranger : this.keys.privateKey);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key' as const,
      response: {
        clientDataJSON: clientData.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }
}
