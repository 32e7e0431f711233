import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { DiagnosticReport, DocumentReference, MedicationRequest, Observation } from 'fhir/r4';
import { matchRecord } from '../../auth/identity-proofing.js';
import { countByType } from '../../store/resource-reads.js';
import { putResource } from '../../store/resources.js';
import { withTransaction } from '../../store/store.js';
import { sqliteFactory, type TestStore } from '../../testing/stores.js';
import { parseBundle } from '../bundle-input.js';
import { importBundle } from '../import.js';
import { fhirValidator } from '../validator.js';
import { generateDemoClinic, generateLargePatient } from './generate.js';
import { demoLines, loadDemoOnce } from './load.js';
import { createRandom } from './random.js';

const asOf = new Date('2026-11-25T00:00:00Z');
const demo = generateDemoClinic({ seed: 7, asOf });
const resources = demo.bundle.entry!.map((e) => e.resource!);
const ofType = <T>(type: string) => resources.filter((r) => r.resourceType === type) as T[];

describe('demo clinic generator', () => {
  it('is deterministic: the same seed and day give the same bundle, another seed another', () => {
    assert.equal(JSON.stringify(generateDemoClinic({ seed: 7, asOf })), JSON.stringify(demo));
    assert.notEqual(JSON.stringify(generateDemoClinic({ seed: 8, asOf }).bundle), JSON.stringify(demo.bundle));
    const a = createRandom('x');
    const b = createRandom('x');
    assert.deepEqual([a.next(), a.uuid(), a.int(1, 6)], [b.next(), b.uuid(), b.int(1, 6)]);
  });

  it('makes resources that all validate against the FHIR R4 schema', () => {
    const validator = fhirValidator();
    for (const r of resources) assert.equal(validator.validate(r), undefined, `${r.resourceType}/${r.id}`);
    assert.equal(validator.validate(demo.bundle), undefined);
  });

  it('has a clinic and patients of different ages with labs over time, medicines, allergies, shots and notes', () => {
    assert.equal(ofType('Organization').length, 1);
    assert.equal(ofType('Practitioner').length, 3);
    assert.equal(ofType('CareTeam').length, demo.patients.length);
    const ages = demo.patients.map((p) => p.age);
    assert.ok(
      ages.some((a) => a < 18) && ages.some((a) => a >= 18 && a < 65) && ages.some((a) => a >= 65),
      String(ages),
    );
    for (const p of demo.patients)
      assert.equal(
        new Date(asOf).getUTCFullYear() - Number(p.birthDate.slice(0, 4)) - (p.birthDate.slice(5) > '11-25' ? 1 : 0),
        p.age,
        p.name,
      );

    const labs = ofType<Observation>('Observation').filter((o) => o.category?.[0]?.coding?.[0]?.code === 'laboratory');
    assert.ok(labs.every((o) => o.referenceRange?.length === 1 && o.valueQuantity?.unit));
    const flags = new Set(labs.map((o) => o.interpretation![0]!.coding![0]!.code));
    assert.deepEqual([...flags].sort(), ['H', 'L', 'N']);
    const ldl = labs.filter(
      (o) => o.code.coding![0]!.code === '18262-6' && o.subject!.reference === 'Patient/demo-daniel-okafor',
    );
    assert.ok(ldl.length >= 5 && new Set(ldl.map((o) => o.effectiveDateTime)).size === ldl.length, 'LDL over time');

    const ids = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
    for (const report of ofType<DiagnosticReport>('DiagnosticReport')) {
      assert.ok(report.result!.length > 0 && report.result!.every((r) => ids.has(r.reference!)));
    }
    const meds = ofType<MedicationRequest>('MedicationRequest');
    assert.deepEqual([...new Set(meds.map((m) => m.status))].sort(), ['active', 'completed', 'stopped']);
    assert.ok(
      meds.every((m) => m.dosageInstruction![0]!.text && m.dispenseRequest!.numberOfRepeatsAllowed !== undefined),
    );
    assert.ok(
      ofType('AllergyIntolerance').length >= 4 &&
        ofType('Immunization').length >= 20 &&
        ofType('Condition').length >= 6,
    );

    const notes = ofType<DocumentReference>('DocumentReference');
    assert.equal(notes.length, ofType('Encounter').length);
    const text = Buffer.from(notes[0]!.content[0]!.attachment.data!, 'base64').toString('utf8');
    assert.match(text, /^Visit note: .*\nDate: \d{4}-\d\d-\d\d\nPatient: Maya Alvarez, \d+ years/);
  });

  it('makes large single-patient sets for benchmarks', () => {
    const big = generateLargePatient({ seed: 1, asOf, observations: 1000 });
    assert.equal(big.entry!.length, 1001);
    assert.equal(JSON.stringify(generateLargePatient({ seed: 1, asOf, observations: 1000 })), JSON.stringify(big));
    const validator = fhirValidator();
    for (const e of big.entry!.slice(0, 50)) assert.equal(validator.validate(e.resource!), undefined);
  });
});

describe('loading the demo clinic', () => {
  let t: TestStore;
  before(async () => {
    t = await sqliteFactory.open();
  });
  after(async () => {
    await t?.cleanup();
  });

  it('loads into an empty database once, and says who is there', async () => {
    const first = await loadDemoOnce(t.store, new Date('2026-11-25T09:30:00Z'));
    assert.equal(first.status, 'loaded-now');
    const counts = await countByType(t.store.db);
    assert.equal(counts.Patient, 4);
    const lines = demoLines(first).join('\n');
    for (const name of [
      'Maya Alvarez',
      'Daniel Okafor',
      'Eleanor Whitfield',
      'Priya Raman',
      'demo-eleanor-whitfield',
      'MRN-100103',
    ])
      assert.ok(lines.includes(name), name);

    const second = await loadDemoOnce(t.store, new Date('2026-11-26T09:30:00Z'));
    assert.equal(second.status, 'loaded-before');
    assert.deepEqual(await countByType(t.store.db), counts);
    assert.match(demoLines(second)[0]!, /^Demo patients in this database: Maya Alvarez \(demo-maya-alvarez\)/);
    // The demo is the generator's output for that day: importing it again changes nothing.
    const again = await importBundle(
      t.store,
      parseBundle(generateDemoClinic({ seed: 'mayocarelink-demo', asOf: new Date('2026-11-25T00:00:00Z') }).bundle),
      { now: new Date() },
    );
    assert.equal(again.created + again.updated, 0);
  });

  it('prints what a newcomer needs to be matched to a demo patient when signing up', async () => {
    const state = await loadDemoOnce(t.store, new Date('2026-11-27T09:30:00Z'));
    if (state.status !== 'loaded-before') return assert.fail(`the demo is ${state.status}`);
    for (const p of state.patients) {
      const facts = {
        mrn: p.mrn,
        birthDate: p.birthDate,
        lastName: p.name.split(' ').at(-1)!,
        lastVisitDate: p.lastVisit,
      };
      assert.equal(await matchRecord(t.store.db, facts), p.id, p.name);
    }
  });

  it('leaves a database that already holds records alone, for good', async () => {
    const other = await sqliteFactory.open();
    try {
      await withTransaction(other.store, (trx) =>
        putResource(trx, 'sqlite', { resourceType: 'Patient', id: 'real' }, new Date()),
      );
      const state = await loadDemoOnce(other.store, new Date());
      assert.equal(state.status, 'skipped');
      assert.deepEqual(demoLines(state), []);
      assert.deepEqual(await countByType(other.store.db), { Patient: 1 });
    } finally {
      await other.cleanup();
    }
  });
});
