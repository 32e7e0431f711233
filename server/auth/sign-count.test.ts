import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signCountVerdict } from './sign-count.js';

const issued = new Date('2026-11-25T12:00:00Z');
const before = new Date('2026-11-25T11:00:00Z');
const after = new Date('2026-11-25T12:00:01Z');

describe('passkey signature counter policy', () => {
  it('accepts 0/0: authenticators that do not count', () => {
    assert.equal(
      signCountVerdict({ stored: 0, previous: 0, received: 0, storedAt: before, challengeIssuedAt: issued }),
      'keep',
    );
  });
  it('raises the stored value when the counter went up', () => {
    assert.equal(
      signCountVerdict({ stored: 0, previous: 0, received: 1, storedAt: null, challengeIssuedAt: issued }),
      'raise',
    );
    assert.equal(
      signCountVerdict({ stored: 41, previous: 40, received: 42, storedAt: before, challengeIssuedAt: issued }),
      'raise',
    );
  });
  it('flags a decrease, and the same non-zero value twice', () => {
    assert.equal(
      signCountVerdict({ stored: 42, previous: 40, received: 41, storedAt: before, challengeIssuedAt: issued }),
      'regressed',
    );
    assert.equal(
      signCountVerdict({ stored: 42, previous: 40, received: 42, storedAt: before, challengeIssuedAt: issued }),
      'regressed',
    );
    assert.equal(
      signCountVerdict({ stored: 5, previous: 4, received: 0, storedAt: before, challengeIssuedAt: issued }),
      'regressed',
    );
  });
  it('does not raise a false alarm when a later ceremony stored a higher value first (two tabs)', () => {
    assert.equal(
      signCountVerdict({ stored: 43, previous: 41, received: 42, storedAt: after, challengeIssuedAt: issued }),
      'keep',
    );
  });
  it('still catches a clone with a stale counter that answers right after a real sign-in', () => {
    assert.equal(
      signCountVerdict({ stored: 43, previous: 41, received: 41, storedAt: after, challengeIssuedAt: issued }),
      'regressed',
    );
    assert.equal(
      signCountVerdict({ stored: 43, previous: 41, received: 12, storedAt: after, challengeIssuedAt: issued }),
      'regressed',
    );
  });
});
