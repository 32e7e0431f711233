import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compartmentsOf, forEachReference, identifiersOf, parseReference, relativeTargetsOf } from './references.js';

describe('FHIR references', () => {
  it('tells the reference styles of real bundles apart', () => {
    assert.deepEqual(parseReference('Patient/123'), { kind: 'relative', resourceType: 'Patient', id: '123' });
    assert.deepEqual(parseReference('Patient/123/_history/2'), {
      kind: 'relative',
      resourceType: 'Patient',
      id: '123',
    });
    assert.deepEqual(parseReference('urn:uuid:0b9f2c1e-1111-2222-3333-444455556666'), {
      kind: 'urn',
      urn: 'urn:uuid:0b9f2c1e-1111-2222-3333-444455556666',
    });
    assert.deepEqual(parseReference('Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999958999'), {
      kind: 'conditional',
      resourceType: 'Practitioner',
      params: [['identifier', 'http://hl7.org/fhir/sid/us-npi|9999958999']],
    });
    assert.deepEqual(parseReference('Location?identifier=a%7Cb'), {
      kind: 'conditional',
      resourceType: 'Location',
      params: [['identifier', 'a|b']],
    });
    assert.deepEqual(parseReference('https://fhir.example.com/Patient/p1'), {
      kind: 'absolute',
      url: 'https://fhir.example.com/Patient/p1',
      resourceType: 'Patient',
      id: 'p1',
    });
    assert.deepEqual(parseReference('#med1'), { kind: 'contained', id: 'med1' });
    assert.equal(parseReference('just words').kind, 'invalid');
    assert.equal(parseReference('Patient?identifier').kind, 'invalid');
  });

  it('finds every reference with its path, but not inside a nested Bundle', () => {
    const found: string[] = [];
    forEachReference(
      {
        resourceType: 'DiagnosticReport',
        subject: { reference: 'Patient/p' },
        result: [{ reference: 'Observation/a' }, { reference: 'Observation/b' }],
        extension: [{ url: 'x', valueReference: { reference: 'Device/d' } }],
        contained: [
          {
            resourceType: 'Bundle',
            entry: [{ resource: { resourceType: 'Basic', subject: { reference: 'Patient/q' } } }],
          },
        ],
      },
      (ref, path) => found.push(`${path}=${ref.reference}`),
    );
    assert.deepEqual(found, [
      'subject=Patient/p',
      'result[0]=Observation/a',
      'result[1]=Observation/b',
      'extension[0].valueReference=Device/d',
    ]);
  });

  it('puts a resource in the compartment of every Patient it refers to, and a Patient in its own', () => {
    assert.deepEqual(
      compartmentsOf({
        resourceType: 'Patient',
        id: 'p',
        link: [{ other: { reference: 'Patient/q' }, type: 'seealso' }],
      }),
      ['p', 'q'],
    );
    assert.deepEqual(
      compartmentsOf({
        resourceType: 'Observation',
        id: 'o',
        subject: { reference: 'Patient/p' },
        performer: [{ reference: 'Practitioner/d' }],
      }),
      ['p'],
    );
    assert.deepEqual(compartmentsOf({ resourceType: 'Practitioner', id: 'd' }), []);
    assert.deepEqual(
      relativeTargetsOf({
        resourceType: 'Observation',
        subject: { reference: 'Patient/p' },
        performer: [{ reference: 'https://x/Practitioner/d' }],
      }),
      ['Patient/p'],
    );
  });

  it('reads business identifiers, one or many, with an empty system when there is none', () => {
    assert.deepEqual(identifiersOf({ identifier: [{ system: 's', value: '1' }, { value: '2' }, { system: 's' }] }), [
      { system: 's', value: '1' },
      { system: '', value: '2' },
    ]);
    assert.deepEqual(identifiersOf({ identifier: { system: 's', value: '3' } }), [{ system: 's', value: '3' }]);
  });
});
