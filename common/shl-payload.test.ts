import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeShlink, encodeShlink, shlinkExpired, type ShlPayload } from './shl-payload.js';

const key = 'rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q'; // 32 bytes, base64url
const payload: ShlPayload = {
  url: 'https://portal.example/api/shl/manifest/2cL3Wz0b1pU3mDf7tQ4vYxN8aR6kJ9hE',
  key,
  exp: 1_800_000_000,
  flag: 'P',
  label: 'For Dr Müller, Zürich — 心臓',
  v: 1,
};

describe('SMART Health Link payload', () => {
  it('round-trips through shlink:/ as base64url JSON with no padding, bare and after a viewer', () => {
    const link = encodeShlink(payload);
    assert.match(link, /^shlink:\/[A-Za-z0-9_-]+$/);
    // Independent reading: the text after the prefix is base64url of the JSON (node's own decoder).
    const json = JSON.parse(Buffer.from(link.slice('shlink:/'.length), 'base64url').toString('utf8'));
    assert.deepEqual(json, payload);
    assert.deepEqual(decodeShlink(link), { ok: true, payload });
    const viewed = encodeShlink(payload, 'https://portal.example/shl');
    assert.ok(viewed.startsWith('https://portal.example/shl#shlink:/'));
    assert.deepEqual(decodeShlink(viewed), { ok: true, payload });
  });

  it('refuses a damaged link with a reason in words, never a throw', () => {
    const link = encodeShlink(payload);
    const cases = [
      'https://portal.example/shl#nothing-here',
      link.slice(0, -7),
      link + '*',
      'shlink:/' + Buffer.from('{"url":').toString('base64url'),
      'shlink:/' + Buffer.from(JSON.stringify({ ...payload, key: key.slice(1) })).toString('base64url'),
      'shlink:/' + Buffer.from(JSON.stringify({ ...payload, flag: 'PU' })).toString('base64url'),
      'shlink:/' + Buffer.from(JSON.stringify({ ...payload, url: 'javascript:alert(1)' })).toString('base64url'),
      'shlink:/' + Buffer.from(JSON.stringify({ ...payload, extra: 1 })).toString('base64url'),
      'shlink:/' + Buffer.from([0xff, 0xfe, 0x00]).toString('base64url'),
    ];
    for (const text of cases) {
      const got = decodeShlink(text);
      assert.equal(got.ok, false, text);
      if (!got.ok) assert.match(got.reason, /SMART Health Link|damaged/);
    }
    assert.match(JSON.stringify(decodeShlink(cases[4]!)), /key/);
  });

  it('will not make a link the specification forbids', () => {
    assert.throws(() => encodeShlink({ ...payload, flag: 'PU' }));
    assert.throws(() => encodeShlink({ ...payload, label: 'x'.repeat(81) }));
    assert.throws(() => encodeShlink({ ...payload, key: 'short' }));
  });

  it('reads an exp with a fraction of a second, as the HL7 IG models it (decimal)', () => {
    const link = 'shlink:/' + Buffer.from(JSON.stringify({ ...payload, exp: 1_800_000_000.5 })).toString('base64url');
    const got = decodeShlink(link);
    assert.ok(got.ok, JSON.stringify(got));
    assert.equal(shlinkExpired(got.payload, new Date(1_800_000_000_400)), false);
    assert.equal(shlinkExpired(got.payload, new Date(1_800_000_000_500)), true);
  });

  it('expires at exp, and not without one', () => {
    assert.equal(shlinkExpired(payload, new Date(1_800_000_000_000 - 1)), false);
    assert.equal(shlinkExpired(payload, new Date(1_800_000_000_000)), true);
    assert.equal(shlinkExpired({ url: payload.url, key }, new Date(9e15)), false);
  });
});
