import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from './recovery-codes.js';

describe('recovery codes', () => {
  it('makes ten distinct codes of 80 bits in four groups', () => {
    const codes = newRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('uses every bit of the random source it is given', () => {
    assert.deepEqual(
      newRecoveryCodes((n) => Buffer.alloc(n, 0), 1),
      ['0000-0000-0000-0000'],
    );
    assert.deepEqual(
      newRecoveryCodes((n) => Buffer.alloc(n, 0xff), 1),
      ['ZZZZ-ZZZZ-ZZZZ-ZZZZ'],
    );
  });

  it('reads a code however it is typed, and refuses what cannot be one', () => {
    const [code] = newRecoveryCodes((n) => Buffer.alloc(n, 0x42), 1);
    const n = normalizeRecoveryCode(code!)!;
    assert.equal(normalizeRecoveryCode(code!.toLowerCase().replace(/-/g, ' ')), n);
    assert.equal(normalizeRecoveryCode('o000-0000-0000-000l'), '0000000000000001');
    for (const bad of ['', '123', 'UUUU-UUUU-UUUU-UUUU', `${code}-AAAA`, '💊💊💊💊-0000-0000-0000'])
      assert.equal(normalizeRecoveryCode(bad), undefined, bad);
    assert.match(hashRecoveryCode(n), /^[0-9a-f]{64}$/);
    assert.notEqual(hashRecoveryCode(n), hashRecoveryCode('0000000000000000'));
  });
});
