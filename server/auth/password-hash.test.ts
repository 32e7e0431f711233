import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dummyHash, hashPassword, verifyPassword } from './password-hash.js';

describe('password hashing (argon2id)', () => {
  it('stores argon2id with m=19 MiB, t=2, p=1 and a unique salt', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    assert.match(a, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.notEqual(a, b, 'same password, same hash: the salt is not unique');
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const phc = await hashPassword('correct horse battery staple');
    assert.equal(await verifyPassword(phc, 'correct horse battery staple'), true);
    assert.equal(await verifyPassword(phc, 'correct horse battery stapler'), false);
  });

  it('matches the same password typed in another Unicode form', async () => {
    const phc = await hashPassword('caf\u00e9 au lait tous les matins');
    assert.equal(await verifyPassword(phc, 'cafe\u0301 au lait tous les matins'), true);
  });

  it('treats a damaged stored hash as no match, never as an error', async () => {
    assert.equal(await verifyPassword('$argon2id$garbage', 'anything at all here'), false);
  });

  it('has a dummy hash for accounts that do not exist, which nothing matches', async () => {
    assert.equal(await verifyPassword(await dummyHash(), ''), false);
  });
});
