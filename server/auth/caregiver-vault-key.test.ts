import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { caregiverVaultKey } from './caregiver-vault-key.js';

describe('caregiver vault key', () => {
  it('is HMAC-SHA256 of the person under the account key, base64url, 32 bytes', () => {
    const key = caregiverVaultKey('account-key', 'pat-ada');
    assert.equal(key, createHmac('sha256', 'account-key').update('caregiver-vault:pat-ada').digest('base64url'));
    assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  });

  it('differs per person and per account, and never equals the account key', () => {
    const a = caregiverVaultKey('k1', 'pat-ada');
    assert.notEqual(a, caregiverVaultKey('k1', 'pat-bea'));
    assert.notEqual(a, caregiverVaultKey('k2', 'pat-ada'));
    assert.notEqual(a, 'k1');
    assert.equal(a, caregiverVaultKey('k1', 'pat-ada'));
  });
});
