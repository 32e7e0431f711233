import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CAREGIVER_CONSENTS, CURRENT_CAREGIVER_CONSENT, caregiverConsent } from './caregiver-consent.js';

describe('the caregiver consent texts', () => {
  it('keeps every version, the newest current; version 2 changes only what a caregiver’s copy on a device is', () => {
    assert.deepEqual(
      CAREGIVER_CONSENTS.map((c) => c.version),
      ['1', '2'],
    );
    assert.equal(CURRENT_CAREGIVER_CONSENT.version, '2');
    const [one, two] = CAREGIVER_CONSENTS;
    assert.match(one!.scopes.records.shares, /read it with no connection/);
    assert.match(two!.scopes.records.shares, /opens only when they are signed in with a connection/);
    assert.match(two!.scopes.records.shares, /deleted from their device when their access ends/);
    const { records: _r1, ...rest1 } = one!.scopes;
    const { records: _r2, ...rest2 } = two!.scopes;
    assert.deepEqual(rest2, rest1);
    assert.deepEqual([two!.title, two!.intro, two!.always], [one!.title, one!.intro, one!.always]);
    assert.equal(caregiverConsent('1'), one);
    assert.equal(caregiverConsent('3'), undefined);
  });
});
