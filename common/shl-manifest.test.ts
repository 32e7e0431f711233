import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { manifestDecision, manifestRequestSchema, type LinkState } from './shl-manifest.js';

const now = new Date('2026-12-03T12:00:00Z');
const link = (over: Partial<LinkState> = {}): LinkState => ({
  passcode: true,
  expiresAt: new Date('2026-12-17T12:00:00Z'),
  revokedAt: null,
  failedPasscodes: 0,
  ...over,
});

describe('SMART Health Link manifest request', () => {
  it('takes the specification’s example request and refuses one without a recipient or with extra fields', () => {
    assert.ok(manifestRequestSchema.safeParse({ recipient: 'Example SHL Client', passcode: 'password' }).success);
    assert.ok(manifestRequestSchema.safeParse({ recipient: 'Dr Ana', embeddedLengthMax: 1000 }).success);
    const none = manifestRequestSchema.safeParse({ passcode: 'x' });
    assert.equal(none.success, false);
    assert.equal(manifestRequestSchema.safeParse({ recipient: '   ' }).success, false);
    assert.equal(manifestRequestSchema.safeParse({ recipient: 'a', admin: true }).success, false);
    assert.equal(manifestRequestSchema.safeParse({ recipient: 'a', embeddedLengthMax: -1 }).success, false);
  });
});

describe('SMART Health Link manifest decision', () => {
  const limit = 5;
  it('serves an active link: with the right passcode, or with none when it has none', () => {
    assert.deepEqual(manifestDecision(link(), 'right', now, limit), { status: 200 });
    assert.deepEqual(manifestDecision(link({ passcode: false }), 'none', now, limit), { status: 200 });
  });

  it('counts a wrong passcode and says how many tries are left; a missing one is asked for, not counted', () => {
    assert.deepEqual(manifestDecision(link({ failedPasscodes: 1 }), 'wrong', now, limit), {
      status: 401,
      remainingAttempts: 3,
      countFailure: true,
    });
    assert.deepEqual(manifestDecision(link({ failedPasscodes: 1 }), 'none', now, limit), {
      status: 401,
      remainingAttempts: 4,
      countFailure: false,
    });
    assert.deepEqual(manifestDecision(link({ failedPasscodes: 4 }), 'wrong', now, limit), {
      status: 401,
      remainingAttempts: 0,
      countFailure: true,
    });
  });

  it('answers 404 once the link is disabled, revoked or expired, even to the right passcode', () => {
    assert.deepEqual(manifestDecision(link({ failedPasscodes: 5 }), 'right', now, limit), { status: 404 });
    assert.deepEqual(manifestDecision(link({ revokedAt: now }), 'right', now, limit), { status: 404 });
    assert.deepEqual(manifestDecision(link({ expiresAt: now }), 'right', now, limit), { status: 404 });
    assert.deepEqual(manifestDecision(link({ expiresAt: null }), 'right', new Date(9e15), limit), { status: 200 });
  });

  it('refuses a passcode sent to a link without one, with a reason', () => {
    const got = manifestDecision(link({ passcode: false }), 'wrong', now, limit);
    assert.equal(got.status, 400);
    assert.match((got as { reason: string }).reason, /no passcode/);
  });
});
