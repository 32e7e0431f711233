import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from 'fhir/r4';
import { patientAsShared } from './patient-shared.js';

const ada: Patient = {
  resourceType: 'Patient',
  id: 'pat-ada',
  name: [{ family: 'Lovelace', given: ['Ada'] }],
  birthDate: '1960-01-01',
  gender: 'female',
  telecom: [{ system: 'phone', value: '+1 555 0100' }],
  address: [{ line: ['1 Main St'], city: 'Springfield' }],
  contact: [{ name: { text: 'Bea' } }],
  generalPractitioner: [{ reference: 'Practitioner/dr' }],
  identifier: [
    { type: { coding: [{ code: 'MR' }] }, value: 'MRN-1' },
    { type: { coding: [{ code: 'SS' }] }, value: '999-99-9999' },
  ],
};

describe('the Patient resource as a caregiver receives it', () => {
  it('never carries contact details, address, contacts, family doctor or other identifiers', () => {
    for (const scopes of [['records'], ['messages'], ['records', 'appointments', 'messages', 'refills']] as const) {
      const shared = patientAsShared(ada, scopes);
      for (const key of ['telecom', 'address', 'contact', 'generalPractitioner'])
        assert.equal(key in shared, false, `${key} with ${scopes.join(',')}`);
      assert.doesNotMatch(JSON.stringify(shared), /999-99-9999/);
      assert.deepEqual(shared.name, ada.name);
      assert.equal(shared.birthDate, '1960-01-01');
    }
  });
  it('names the MRN and sex only to one who may read the record', () => {
    assert.deepEqual(patientAsShared(ada, ['records']).identifier, [ada.identifier![0]]);
    assert.equal(patientAsShared(ada, ['records']).gender, 'female');
    assert.equal('identifier' in patientAsShared(ada, ['appointments']), false);
    assert.equal('gender' in patientAsShared(ada, ['appointments']), false);
  });
});
