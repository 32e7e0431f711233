import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { onBehalfOf, onBehalfOfUrl, withOnBehalfOf } from './on-behalf.js';

describe('acting on behalf', () => {
  it('writes the caregiver into a resource and reads them back, whatever the type', () => {
    const origin = 'https://portal.example';
    const task = withOnBehalfOf({ resourceType: 'Task', extension: [{ url: 'x' }] }, origin, {
      name: 'Cara Giver',
      accountId: 'acc-1',
    });
    assert.equal(task.extension.length, 2);
    assert.equal((task.extension[1] as { url: string }).url, onBehalfOfUrl(origin));
    assert.deepEqual(onBehalfOf(task), { name: 'Cara Giver', accountId: 'acc-1' });
    // Written twice: one extension, the newest.
    const again = withOnBehalfOf(task, origin, { name: 'Other' });
    assert.equal(again.extension.length, 2);
    assert.deepEqual(onBehalfOf(again), { name: 'Other' });
  });

  it('finds nothing on what the patient wrote themselves', () => {
    assert.equal(onBehalfOf({ resourceType: 'Communication' }), undefined);
    assert.equal(onBehalfOf({ extension: [{ url: 'https://a/fhir/StructureDefinition/on-behalf-of' }] }), undefined);
    assert.equal(onBehalfOf(null), undefined);
  });
});
