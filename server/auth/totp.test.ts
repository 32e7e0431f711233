import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HOTP, Secret, TOTP } from 'otpauth';
import { newTotpSecret, totpCode, totpStep, totpUri, verifyTotp } from './totp.js';

// RFC 6238 Appendix B: the seeds are the ASCII strings below (20, 32 and 64 bytes), 8 digits, 30 s steps.
const SEEDS = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const;
const RFC6238: [number, string, string, string][] = [
  // T (seconds),  SHA-1,     SHA-256,    SHA-512
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

// RFC 4226 Appendix D: HOTP with the 20-byte seed, counters 0…9, 6 digits.
const RFC4226 = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

describe('TOTP (RFC 6238) and HOTP (RFC 4226)', () => {
  it('matches every RFC 6238 Appendix B vector, SHA-1/256/512, including T = 20000000000', () => {
    for (const [t, ...codes] of RFC6238) {
      (['SHA1', 'SHA256', 'SHA512'] as const).forEach((algorithm, i) => {
        const code = TOTP.generate({
          secret: Secret.fromLatin1(SEEDS[algorithm]),
          algorithm,
          digits: 8,
          period: 30,
          timestamp: t * 1000,
        });
        assert.equal(code, codes[i], `${algorithm} at T=${t}`);
      });
    }
  });

  it('matches every RFC 4226 Appendix D vector', () => {
    RFC4226.forEach((expected, counter) => {
      assert.equal(
        HOTP.generate({ secret: Secret.fromLatin1(SEEDS.SHA1), algorithm: 'SHA1', digits: 6, counter }),
        expected,
      );
    });
  });

  it("checks codes with the portal's own verifier at the RFC times (6-digit tail of the SHA-1 vectors)", () => {
    const secret = Secret.fromLatin1(SEEDS.SHA1).base32;
    for (const [t, sha1] of RFC6238) {
      // The 6-digit code is the last six digits of the 8-digit one (RFC 4226 §5.3: mod 10^Digit).
      assert.deepEqual(verifyTotp(secret, sha1.slice(2), new Date(t * 1000), null), {
        ok: true,
        step: Math.floor(t / 30),
      });
    }
  });

  it('makes a 160-bit secret from the random source it is given', () => {
    const secret = newTotpSecret((n) => Buffer.alloc(n, 0xab));
    assert.equal(Secret.fromBase32(secret).bytes.length, 20);
    assert.notEqual(newTotpSecret(), newTotpSecret());
    const uri = totpUri(secret, 'Mayo Care', 'margery');
    assert.match(
      uri,
      /^otpauth:\/\/totp\/Mayo%20Care:margery\?issuer=Mayo%20Care&secret=[A-Z2-7]+&algorithm=SHA1&digits=6&period=30$/,
    );
  });

  const secret = newTotpSecret();
  const now = new Date('2026-11-25T12:00:10Z');
  const step = totpStep(now);
  const at = (steps: number) => new Date(now.getTime() + steps * 30_000);

  it('accepts the current code and one step either side, not two', () => {
    assert.deepEqual(verifyTotp(secret, totpCode(secret, now), now, null), { ok: true, step });
    assert.deepEqual(verifyTotp(secret, totpCode(secret, at(-1)), now, null), { ok: true, step: step - 1 });
    assert.deepEqual(verifyTotp(secret, totpCode(secret, at(1)), now, null), { ok: true, step: step + 1 });
    const twoAgo = totpCode(secret, at(-2));
    // A rare collision with a neighbouring code would make this vacuous: skip that draw.
    if (![-1, 0, 1].some((d) => totpCode(secret, at(d)) === twoAgo)) {
      assert.deepEqual(verifyTotp(secret, twoAgo, now, null), { ok: false, reason: 'wrong' });
    }
  });

  it('accepts each code once: the same step, or an earlier one, is a replay', () => {
    const code = totpCode(secret, now);
    const first = verifyTotp(secret, code, now, null);
    assert.equal(first.ok, true);
    assert.deepEqual(verifyTotp(secret, code, now, step), { ok: false, reason: 'replayed' });
    assert.deepEqual(verifyTotp(secret, totpCode(secret, at(-1)), now, step), { ok: false, reason: 'replayed' });
    assert.deepEqual(verifyTotp(secret, totpCode(secret, at(1)), now, step), { ok: true, step: step + 1 });
  });

  it('refuses wrong lengths and letters as a format problem, and forgives spaces', () => {
    for (const typed of ['', '12345', '1234567', 'abcdef', '12345a', '１２３４５６', '123456789012']) {
      assert.deepEqual(verifyTotp(secret, typed, now, null), { ok: false, reason: 'format' }, typed);
    }
    const code = totpCode(secret, now);
    assert.equal(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, null).ok, true);
  });
});
