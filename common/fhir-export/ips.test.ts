import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Composition } from 'fhir/r4';
import { escapeXml, ipsDocument } from './ips.js';
import { patientBundle } from './patient-bundle.js';
import { rewrite } from './references.js';

const ids = () => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};
const NOW = new Date('2026-12-03T10:00:00Z');
const patient = { resourceType: 'Patient', id: 'p1', name: [{ given: ['Ada'], family: 'Lovelace' }] };

describe('IPS document (pure)', () => {
  it('a record with only the Patient: the three required sections, each empty with a reason and words', () => {
    const ips = ipsDocument([patient], { now: NOW, newId: ids() });
    const c = ips.entry![0]!.resource as Composition;
    assert.deepEqual(
      c.section!.map((s) => [s.code!.coding![0]!.code, s.emptyReason?.coding?.[0]?.code, s.entry]),
      [
        ['10160-0', 'unavailable', undefined],
        ['48765-2', 'unavailable', undefined],
        ['11450-4', 'unavailable', undefined],
      ],
    );
    assert.match(c.section![1]!.text!.div, /No allergies or intolerances are recorded/);
    assert.deepEqual(
      ips.entry!.map((e) => e.resource!.resourceType),
      ['Composition', 'Patient', 'Device'],
    );
    assert.equal(c.author![0]!.reference, ips.entry![2]!.fullUrl);
    assert.equal(c.date, NOW.toISOString());
  });

  it('the patient as author, when asked', () => {
    const ips = ipsDocument([patient], { now: NOW, newId: ids(), author: 'patient' });
    const c = ips.entry![0]!.resource as Composition;
    assert.equal(c.author![0]!.reference, ips.entry![1]!.fullUrl);
    assert.equal(ips.entry!.length, 2);
  });

  it('escapes the record’s words in the narrative', () => {
    assert.equal(escapeXml(`<b>"Tom" & 'Jerry'</b>`), '&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;');
    const allergy = {
      resourceType: 'AllergyIntolerance',
      id: 'a1',
      code: { text: '<script>alert(1)</script> & nuts' },
      patient: { reference: 'Patient/p1' },
    };
    const c = ipsDocument([patient, allergy], { now: NOW, newId: ids() }).entry![0]!.resource as Composition;
    assert.ok(!c.section![1]!.text!.div.includes('<script>'));
    assert.ok(c.section![1]!.text!.div.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; nuts'));
  });

  it('brings what an entry needs (its Medication), leaves out what it does not (the visit), and drops dangling references', () => {
    const med = { resourceType: 'Medication', id: 'm1', code: { text: 'Metformin' } };
    const visit = { resourceType: 'Encounter', id: 'e1', status: 'finished' };
    const request = {
      resourceType: 'MedicationRequest',
      id: 'r1',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      medicationReference: { reference: 'Medication/m1' },
      encounter: { reference: 'Encounter/e1' },
      requester: { reference: 'Practitioner/x', display: 'Dr Who' },
    };
    const ips = ipsDocument([patient, med, visit, request], { now: NOW, newId: ids() });
    const types = ips.entry!.map((e) => e.resource!.resourceType);
    assert.deepEqual(types, ['Composition', 'Patient', 'Device', 'MedicationRequest', 'Medication']);
    const r = ips.entry![3]!.resource as Record<string, any>;
    assert.equal(r.medicationReference.reference, ips.entry![4]!.fullUrl);
    assert.equal(r.subject.reference, ips.entry![1]!.fullUrl);
    assert.equal(r.encounter, undefined);
    assert.deepEqual(r.requester, { display: 'Dr Who' });
  });

  it('the whole record keeps a reference to what it does not hold, and points attachments at their Binary', () => {
    const doc = {
      resourceType: 'DocumentReference',
      id: 'd1',
      subject: { reference: 'Patient/p1' },
      author: [{ reference: 'Practitioner/x' }],
      content: [{ attachment: { contentType: 'text/plain', url: 'Binary/b1' } }],
    };
    const binary = { resourceType: 'Binary', id: 'b1', contentType: 'text/plain', data: 'aGk=' };
    const bundle = patientBundle([doc, binary, patient], { now: NOW, newId: ids() });
    assert.equal(bundle.entry![0]!.resource!.resourceType, 'Patient');
    const d = bundle.entry![1]!.resource as Record<string, any>;
    assert.equal(d.subject.reference, bundle.entry![0]!.fullUrl);
    assert.equal(d.author[0].reference, 'Practitioner/x');
    assert.equal(d.content[0].attachment.url, bundle.entry![2]!.fullUrl);
  });

  it('a UUID id is kept as the fullUrl; a repeated or other id gets a new one', () => {
    const id = '9bf59715-246f-4ce2-85a6-58c1757f8d21';
    const b = patientBundle(
      [
        { ...patient, id },
        { resourceType: 'Condition', id: 'c1' },
      ],
      { now: NOW, newId: ids() },
    );
    assert.equal(b.entry![0]!.fullUrl, `urn:uuid:${id}`);
    assert.match(b.entry![1]!.fullUrl!, /^urn:uuid:00000000-0000-4000-8000-/);
  });

  it('does not change its input', () => {
    const r = { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' } };
    rewrite(r, new Map([['Patient/p1', 'urn:uuid:x']]), 'drop');
    assert.equal(r.subject.reference, 'Patient/p1');
  });
});
