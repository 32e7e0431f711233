import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fhirValidator, pointerToPath } from './validator.js';

const observation = {
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2024-02-29T10:00:00Z',
  valueQuantity: { value: 13.1, unit: 'g/dL', system: 'http://unitsofmeasure.org', code: 'g/dL' },
};

describe('FHIR R4 schema validation', () => {
  const validator = fhirValidator();

  it('knows the 146 resource types of R4', () => {
    assert.equal(validator.resourceTypes.size, 146);
    assert.ok(validator.resourceTypes.has('ExplanationOfBenefit'));
    assert.ok(!validator.resourceTypes.has('Reference'));
  });

  it('accepts a valid resource', () => {
    assert.equal(validator.validate(observation), undefined);
  });

  it('says where and what is wrong, one problem at a time', () => {
    const cases: [object, string, RegExp][] = [
      [
        { ...observation, status: 'done' },
        'status',
        /^"done" is not allowed; it must be one of "registered", "preliminary", "final"/,
      ],
      [{ ...observation, colour: 'red' }, 'colour', /^is not an element FHIR R4 defines here$/],
      [{ ...observation, valueQuantity: { value: 'high' } }, 'valueQuantity.value', /^must be a number, not "high"$/],
      [
        { ...observation, effectiveDateTime: '2024-13-01' },
        'effectiveDateTime',
        /^"2024-13-01" does not have the form FHIR requires/,
      ],
      [{ ...observation, code: undefined }, 'code', /^is required$/],
      [{ ...observation, code: { coding: [{ system: 5 }] } }, 'code.coding[0].system', /^must be a string, not 5$/],
      [{ resourceType: 'Dragon' }, 'resourceType', /^"Dragon" is not a FHIR R4 resource type$/],
      [{ id: 'x' }, 'resourceType', /^is missing$/],
    ];
    for (const [resource, path, message] of cases) {
      const issue = validator.validate(JSON.parse(JSON.stringify(resource)) as object);
      assert.equal(issue?.path, path, JSON.stringify(resource));
      assert.match(issue!.message, message);
    }
  });

  it('checks a contained resource against its own type, for a precise answer', () => {
    const withContained = {
      ...observation,
      contained: [
        { resourceType: 'Practitioner', id: 'dr' },
        { resourceType: 'Patient', id: 'p', gender: 'sometimes' },
      ],
    };
    const issue = validator.validate(withContained);
    assert.equal(issue?.path, 'contained[1].gender');
    assert.match(issue!.message, /"sometimes" is not allowed/);
  });

  it('turns JSON pointers into paths a person reads', () => {
    assert.equal(pointerToPath(''), '');
    assert.equal(pointerToPath('/component/1/code/coding/0'), 'component[1].code.coding[0]');
    assert.equal(pointerToPath('/a~1b'), 'a/b');
  });
});
