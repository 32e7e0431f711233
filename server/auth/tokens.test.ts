import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashToken, newToken } from './tokens.js';

describe('tokens', () => {
  it('are 256 bits of base64url by default, different every time', () => {
    const a = newToken();
    const b = newToken();
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a, 'base64url').length, 32);
  });

  it('draw their bytes from the given source', () => {
    assert.equal(
      newToken(16, (n) => Buffer.alloc(n, 0xff)),
      '_____________________w',
    );
  });

  it('refuse fewer than 128 bits', () => {
    assert.throws(() => newToken(15), /at least 16 bytes/);
  });

  it('are stored as their SHA-256, never as themselves', () => {
    // SHA-256("abc"), FIPS 180-2 Appendix B.1.
    assert.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.notEqual(hashToken('abc'), 'abc');
  });
});
