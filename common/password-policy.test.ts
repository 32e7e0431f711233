import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPassword, MAX_LENGTH } from './password-policy.js';

const codes = (pw: string, ctx = {}) => checkPassword(pw, ctx).problems.map((p) => p.code);

describe('password policy (NIST SP 800-63B-4 §3.1.1.2)', () => {
  it('accepts a long passphrase with no composition rules', () => {
    assert.deepEqual(codes('correct horse battery staple'), []);
    assert.deepEqual(codes('all lower case words here'), []);
  });

  it('needs 15 characters for a password alone, 8 with a second factor always required', () => {
    assert.deepEqual(codes('quiet-otter-41'), ['too_short']); // 14
    assert.deepEqual(codes('quiet-otter-412'), []); // 15
    assert.deepEqual(codes('otter-41', { minLength: 8 }), []);
    assert.match(checkPassword('short').problems[0]!.message, /at least 15 characters \(this has 5\)/);
  });

  it('counts Unicode code points after NFKC, so an emoji or an accent is one character', () => {
    const v = checkPassword('ｃａｆé🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂'); // fullwidth letters normalise to ASCII
    assert.equal(v.normalized.startsWith('café'), true);
    assert.equal(v.length, 15);
    assert.equal(v.ok, true);
    // The same password typed with a decomposed é normalises identically.
    assert.equal(
      checkPassword('cafe\u0301 was here today!').normalized,
      checkPassword('caf\u00e9 was here today!').normalized,
    );
  });

  it('allows at least 64 characters and refuses absurd lengths', () => {
    assert.deepEqual(codes('a quiet river runs '.repeat(4).slice(0, 64)), []);
    assert.deepEqual(codes('x'.repeat(MAX_LENGTH + 1) + 'y'), ['too_long']);
  });

  it('refuses common passwords, whatever their case, and says why', () => {
    for (const pw of ['password', 'iloveyou', 'PASSWORD1']) {
      const v = checkPassword(pw, { minLength: 8 });
      assert.ok(
        v.problems.some((p) => p.code === 'common'),
        pw,
      );
    }
    assert.match(
      checkPassword('qwertyuiop', { minLength: 8 }).problems.find((p) => p.code === 'common')!.message,
      /list of common passwords/,
    );
  });

  it('refuses one repeated character', () => {
    assert.deepEqual(codes('aaaaaaaaaaaaaaaa'), ['repetitive']);
  });

  it('refuses a password built from the username or email', () => {
    assert.deepEqual(codes('margery.gibson1948!', { personal: ['margery.gibson@example.com'] }), ['personal']);
    assert.deepEqual(codes('MargeryGibson2026', { personal: ['mgibson', 'margerygibson'] }), ['personal']);
    assert.deepEqual(codes('truman1234567890', { personal: ['truman'] }), ['personal']);
    assert.deepEqual(codes('my garden in may is lovely', { personal: ['mgibson'] }), []);
    assert.deepEqual(codes('truman walks the dog at dawn', { personal: ['truman'] }), []);
  });
});
