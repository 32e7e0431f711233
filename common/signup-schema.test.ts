import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signupBody } from './signup-schema.js';

const base = {
  method: 'activation-code',
  activationCode: 'ABCD-1234',
  birthDate: '1950-03-04',
  email: 'ann@example.com',
  username: 'ann',
  password: 'a long passphrase here',
};

describe('sign-up body', () => {
  it('stores the mobile number in E.164, however it was typed (it was kept as typed)', () => {
    const parsed = signupBody.parse({ ...base, phone: '+1 (507) 555-0123' });
    assert.equal(parsed.phone, '+15075550123');
    assert.equal(signupBody.parse({ ...base, phone: '' }).phone, undefined);
    assert.equal(signupBody.parse(base).phone, undefined);
  });

  it('refuses a number without its country code, with a sentence that shows how', () => {
    const result = signupBody.safeParse({ ...base, phone: '507 555 0123' });
    assert.equal(result.success, false);
    const issue = result.error!.issues.find((i) => i.path.join('.') === 'phone')!;
    assert.match(issue.message, /country code, for example \+1 507 555 0123/);
  });
});
