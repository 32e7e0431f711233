import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entryHash, GENESIS, verifyChain, type AuditFields } from './chain.js';

function chain(n: number) {
  const out: (AuditFields & { hash: string })[] = [];
  let previous = GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const e: AuditFields = {
      seq,
      at: `2026-01-01T00:00:0${seq}Z`,
      actor: 'user-1',
      onBehalfOf: null,
      action: 'sign-in',
      target: null,
      outcome: 'success',
      ip: '127.0.0.1',
      detail: null,
    };
    previous = entryHash(previous, e);
    out.push({ ...e, hash: previous });
  }
  return out;
}

describe('audit hash chain', () => {
  it('verifies an untouched chain', () => {
    assert.deepEqual(verifyChain(chain(5)), { ok: true, entries: 5 });
    assert.deepEqual(verifyChain([]), { ok: true, entries: 0 });
  });

  it('finds an edited entry', () => {
    const c = chain(5);
    c[2]!.outcome = 'failure';
    assert.deepEqual(verifyChain(c), { ok: false, brokenAt: 3, reason: 'hash does not match the content' });
  });

  it('finds a removed entry', () => {
    const c = chain(5);
    c.splice(1, 1);
    assert.deepEqual(verifyChain(c), { ok: false, brokenAt: 3, reason: 'expected entry 2, found 3' });
  });

  it('finds an entry rewritten together with its own hash (the next link breaks)', () => {
    const c = chain(4);
    const forged = { ...c[1]!, actor: 'someone-else' };
    forged.hash = entryHash(c[0]!.hash, forged);
    c[1] = forged;
    assert.deepEqual(verifyChain(c), { ok: false, brokenAt: 3, reason: 'hash does not match the content' });
  });
});
