import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkAttempt, delayAfter, FREE_ATTEMPTS, MAX_DELAY_MS, MAX_FAILURES } from './throttle.js';

describe('failed-attempt throttling', () => {
  it('lets the first few mistakes through without waiting', () => {
    for (let f = 0; f < FREE_ATTEMPTS; f++) assert.equal(delayAfter(f), 0);
  });

  it('then waits 30 s, doubling, up to one hour', () => {
    assert.deepEqual(
      [5, 6, 7, 8, 9, 10, 11, 12].map((f) => delayAfter(f) / 1000),
      [30, 60, 120, 240, 480, 960, 1920, 3600],
    );
    assert.equal(delayAfter(99), MAX_DELAY_MS);
  });

  it('disables the authenticator at 100 consecutive failures, and not before', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const longAgo = new Date('2025-01-01T00:00:00Z');
    assert.deepEqual(checkAttempt(MAX_FAILURES - 1, longAgo, now), { allowed: true });
    assert.deepEqual(checkAttempt(MAX_FAILURES, longAgo, now), { allowed: false, reason: 'disabled' });
  });

  it('says how long to wait', () => {
    const last = new Date('2026-01-01T00:00:00Z');
    assert.deepEqual(checkAttempt(6, last, new Date('2026-01-01T00:00:20Z')), {
      allowed: false,
      reason: 'wait',
      retryAfterMs: 40_000,
    });
    assert.deepEqual(checkAttempt(6, last, new Date('2026-01-01T00:01:00Z')), { allowed: true });
  });

  it('makes a lock-out by guessing take days, not minutes', () => {
    let total = 0;
    for (let f = 0; f < MAX_FAILURES; f++) total += delayAfter(f);
    assert.ok(total > 3 * 24 * 3600_000, `${total / 3600_000} h`);
  });
});
