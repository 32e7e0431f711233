import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scopeOfResource, shownWith } from './care-scope-of.js';

describe('the scope a record resource belongs to', () => {
  it('maps each kind of resource to the scope that opens it', () => {
    assert.equal(scopeOfResource('Patient'), 'always');
    assert.equal(scopeOfResource('Appointment'), 'appointments');
    assert.equal(scopeOfResource('Communication'), 'messages');
    assert.equal(scopeOfResource('Task', { focus: { reference: 'MedicationRequest/m1' } }), 'refills');
    assert.equal(scopeOfResource('Task', { focus: { reference: 'ServiceRequest/s1' } }), 'records');
    assert.equal(scopeOfResource('Task'), 'refills');
    for (const type of [
      'Observation',
      'DiagnosticReport',
      'Condition',
      'AllergyIntolerance',
      'Immunization',
      'Encounter',
      'DocumentReference',
      'Procedure',
      'MedicationRequest',
      'SomethingNew',
    ])
      assert.equal(scopeOfResource(type, {}), 'records', type);
  });

  it('tells a message attachment from a document by the messages that hold it', () => {
    const context = { messageAttachments: new Set(['b1']) };
    assert.equal(scopeOfResource('Binary', { id: 'b1' }, context), 'messages');
    assert.equal(scopeOfResource('Binary', { id: 'b2' }, context), 'records');
    assert.equal(scopeOfResource('Binary', { id: 'b1' }), 'records');
  });

  it('shows prescriptions to a caregiver who may request refills, and nothing clinical to one who may only write', () => {
    assert.ok(shownWith(['refills'], 'MedicationRequest', {}));
    assert.ok(shownWith(['records'], 'MedicationRequest', {}));
    assert.ok(!shownWith(['messages'], 'MedicationRequest', {}));
    assert.ok(!shownWith(['messages'], 'Observation', {}));
    assert.ok(shownWith([], 'Patient', {}));
    assert.ok(!shownWith(['refills'], 'Observation', {}));
  });
});
