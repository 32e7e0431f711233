import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatPhone, normalizePhone } from './phone.js';

describe('phone numbers', () => {
  it('reads phone numbers in international form only, and stores E.164', () => {
    assert.equal(normalizePhone('+1 (555) 555-0123'), '+15555550123');
    assert.equal(normalizePhone('+44 7700 900123'), '+447700900123');
    assert.equal(normalizePhone('+1.507.555.0123'), '+15075550123');
    for (const bad of ['5555550123', '+0123456789', '+1', 'call me', '+1234567890123456', '', '+44 12'])
      assert.equal(normalizePhone(bad), undefined, bad);
  });

  it('shows a stored number grouped the way its country writes it', () => {
    assert.equal(formatPhone('+15075550123'), '+1 507 555 0123');
    assert.equal(formatPhone('+447700900123'), '+44 7700 900123');
    assert.equal(formatPhone('not a number'), 'not a number');
  });
});
