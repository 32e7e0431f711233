import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newActivationCode, normalizeActivationCode } from './activation-code.js';

describe('activation codes', () => {
  it('are 16 Crockford base32 symbols in groups of four (80 bits)', () => {
    const code = newActivationCode();
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    assert.notEqual(code, newActivationCode());
  });

  it('encode the random bytes exactly', () => {
    assert.equal(
      newActivationCode((n) => Buffer.alloc(n, 0)),
      '0000-0000-0000-0000',
    );
    assert.equal(
      newActivationCode((n) => Buffer.alloc(n, 0xff)),
      'ZZZZ-ZZZZ-ZZZZ-ZZZZ',
    );
  });

  it('forgive how a person types them', () => {
    assert.equal(normalizeActivationCode(' 7k3m-q9xd oi1l-abcd '), '7K3MQ9XD0111ABCD');
    assert.equal(normalizeActivationCode('ＡＢＣＤ'), 'ABCD');
  });
});
