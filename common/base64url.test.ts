import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64Url, isBase64Url, toBase64Url } from './base64url.js';

describe('base64url', () => {
  it('agrees with node’s own encoder both ways, for every length of a few bytes and a large buffer', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) % 256);
      const text = toBase64Url(bytes);
      assert.equal(text, Buffer.from(bytes).toString('base64url'));
      assert.deepEqual(fromBase64Url(text), bytes);
      assert.ok(isBase64Url(text));
    }
    const big = new Uint8Array(300_000).map((_, i) => i % 251);
    assert.equal(toBase64Url(big.buffer), Buffer.from(big).toString('base64url'));
  });

  it('tells text that cannot be base64url', () => {
    for (const bad of ['a', 'ab+c', 'ab/c', 'abc=', 'a b', 'ü']) assert.equal(isBase64Url(bad), false, bad);
    assert.deepEqual(fromBase64Url('AQID'), Uint8Array.from([1, 2, 3]));
    assert.deepEqual(fromBase64Url('AQ=='), Uint8Array.from([1]));
  });
});
