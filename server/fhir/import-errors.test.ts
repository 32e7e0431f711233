import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listChanges } from '../store/changes.js';
import { countByType, getResource } from '../store/resource-reads.js';
import { countEntries, readJson, sharedFiles, type BundleJson } from '../testing/fhir-data.js';
import { storeFactories, type TestStore } from '../testing/stores.js';
import { BundleError, parseBundle, readBundleFile } from './bundle-input.js';
import { importBundle, importFile } from './import.js';
import type { JsonObject } from '../fhir-json/references.js';

const NOW = new Date('2026-05-01T08:00:00Z');
const reyna = readJson(sharedFiles('patients').find((f) => f.includes('Reyna'))!);
const bundle = (entries: JsonObject[], type = 'transaction'): unknown => ({
  resourceType: 'Bundle',
  type,
  entry: entries,
});
const patient = (id: string, extra: JsonObject = {}): JsonObject => ({
  resourceType: 'Patient',
  id,
  gender: 'female',
  ...extra,
});
const observation = (subject: string, extra: JsonObject = {}): JsonObject => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'weight' },
  subject: { reference: subject },
  valueQuantity: { value: 70, unit: 'kg' },
  ...extra,
});
const post = (resource: JsonObject, fullUrl?: string, extra: JsonObject = {}): JsonObject => ({
  ...(fullUrl ? { fullUrl } : {}),
  resource,
  request: { method: 'POST', url: resource.resourceType as string, ...extra },
});
const put = (resource: JsonObject): JsonObject => ({
  resource,
  request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
});

for (const factory of storeFactories) {
  describe(`import of bad and changed input on ${factory.name}`, () => {
    let t: TestStore;
    let dir: string;
    before(async () => {
      t = await factory.open();
      dir = mkdtempSync(join(tmpdir(), 'mcl-bad-bundles-'));
    });
    after(async () => {
      await t?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });
    const load = (value: unknown) => importBundle(t.store, parseBundle(value), { now: NOW });
    const wipe = async () => {
      for (const table of [
        'fhir_resource',
        'fhir_compartment',
        'fhir_identifier',
        'fhir_change',
        'fhir_patient_seq',
      ] as const) {
        await t.store.db.deleteFrom(table).execute();
      }
    };
    const total = async () => Object.values(await countByType(t.store.db)).reduce((a, b) => a + b, 0);

    it('rejects a corrupted entry precisely and loads the others', async () => {
      const copy = structuredClone(reyna) as BundleJson;
      const referenced = JSON.stringify(copy.entry.map((e) => e.resource));
      const index = copy.entry.findIndex(
        (e) => e.resource.resourceType === 'Observation' && !referenced.includes(`"${e.fullUrl}"`),
      );
      assert.ok(index > 0);
      (copy.entry[index]!.resource.valueQuantity as JsonObject).value = 'seventy';
      const report = await load(copy);
      assert.deepEqual(report.rejected, [
        {
          index,
          resourceType: 'Observation',
          path: `entry[${index}].resource.valueQuantity.value`,
          error: 'must be a number, not "seventy"',
        },
      ]);
      const expected = countEntries(reyna);
      expected.Observation! -= 1;
      assert.deepEqual(report.imported, expected);
      assert.equal(report.created, reyna.entry.length - 1);
      await wipe(); // the next tests start from nothing stored
    });

    it('also rejects the entries that refer to a rejected one (their reference would dangle)', async () => {
      const copy = structuredClone(reyna) as BundleJson;
      const report = copy.entry.findIndex((e) => e.resource.resourceType === 'DiagnosticReport');
      const firstResult = (copy.entry[report]!.resource.result as JsonObject[])[0]!.reference as string;
      const index = copy.entry.findIndex((e) => e.fullUrl === firstResult);
      copy.entry[index]!.resource.status = 'almost-final';
      const result = await load(copy);
      assert.deepEqual(
        result.rejected.map((r) => [r.index, r.resourceType]),
        [
          [index, 'Observation'],
          [report, 'DiagnosticReport'],
        ].sort((a, b) => (a[0] as number) - (b[0] as number)),
      );
      assert.match(
        result.rejected.find((r) => r.index === index)!.error,
        /"almost-final" is not allowed; it must be one of "registered", "preliminary", "final"/,
      );
      assert.match(
        result.rejected.find((r) => r.index === report)!.error,
        new RegExp(`it refers to entry ${index}, which could not be loaded`),
      );
      await wipe();
    });

    it('refuses files that are not JSON, not a Bundle, or too big, naming the file, and writes nothing', async () => {
      const cases: [string, string, RegExp][] = [
        ['broken.json', '{"resourceType": "Bundle",\n  "type": }', /broken\.json: it is not JSON \(Unexpected token/],
        [
          'comma.json',
          '{\n  "resourceType": "Bundle",\n  "type": "batch"\n  "entry": []}',
          /comma\.json: it is not JSON \(Expected ',' or '}' after property value in JSON at line 4, column 3\)/,
        ],
        ['patient.json', JSON.stringify(patient('x')), /patient\.json: it is a Patient, not a Bundle/],
        [
          'array.json',
          '[1, 2]',
          /array\.json: it is JSON but not a FHIR resource \(a Bundle is an object; this is an array\)/,
        ],
        [
          'search.json',
          JSON.stringify(bundle([put(patient('x'))], 'searchset')),
          /Bundle of type "searchset"; import loads transaction, batch, collection, document/,
        ],
        ['empty.json', JSON.stringify(bundle([])), /the Bundle has no entries/],
      ];
      for (const [name, text, message] of cases) {
        writeFileSync(join(dir, name), text);
        await assert.rejects(
          importFile(t.store, join(dir, name), { now: NOW }),
          (e: unknown) => e instanceof BundleError && message.test(e.message),
        );
      }
      writeFileSync(
        join(dir, 'big.json'),
        JSON.stringify(bundle([put(patient('big', { text: { status: 'generated', div: 'x'.repeat(5000) } }))])),
      );
      await assert.rejects(
        readBundleFile(join(dir, 'big.json'), 4096),
        /big\.json: it is 0\.0 MB, over the 0\.0 MB a bundle may have; split it into smaller bundles, or raise the limit with --max-mb/,
      );
      await assert.rejects(readBundleFile(join(dir, 'missing.json')), /missing\.json: cannot be read \(ENOENT\)/);
      assert.equal(await total(), 0);
    });

    it('rejects an unknown resource type and broken references, and writes nothing when no entry is left', async () => {
      const report = await load(
        bundle([
          {
            fullUrl: 'urn:uuid:1',
            resource: { resourceType: 'Spaceship', id: 'x' },
            request: { method: 'POST', url: 'Spaceship' },
          },
          post(observation('urn:uuid:00000000-0000-0000-0000-000000000000')),
          post(observation('Patient/nobody')),
          post(observation('Patient?identifier=urn:mrn|404')),
          post(observation('Patient/x', { performer: [{ reference: 'not a reference' }] })),
          { resource: patient('gone'), request: { method: 'DELETE', url: 'Patient/gone' } },
          { resource: patient('wrong'), request: { method: 'POST', url: 'Observation' } },
          { resource: patient('p9'), request: { method: 'PUT', url: 'Patient/p8' } },
        ]),
      );
      assert.deepEqual(report.imported, {});
      assert.deepEqual(report.rejected, [
        {
          index: 0,
          resourceType: 'Spaceship',
          path: 'entry[0].resource.resourceType',
          error: '"Spaceship" is not a FHIR R4 resource type',
        },
        {
          index: 1,
          resourceType: 'Observation',
          path: 'entry[1].resource.subject.reference',
          error: 'urn:uuid:00000000-0000-0000-0000-000000000000 is not the fullUrl of any entry in this bundle',
        },
        {
          index: 2,
          resourceType: 'Observation',
          path: 'entry[2].resource.subject.reference',
          error: 'Patient/nobody is neither in this bundle nor stored',
        },
        {
          index: 3,
          resourceType: 'Observation',
          path: 'entry[3].resource.subject.reference',
          error:
            'Patient?identifier=urn:mrn|404 matches nothing in this bundle or the store (import the bundle that holds it first)',
        },
        {
          index: 4,
          resourceType: 'Observation',
          path: 'entry[4].resource.subject.reference',
          error: 'Patient/x is neither in this bundle nor stored',
        },
        {
          index: 5,
          resourceType: 'Patient',
          path: 'entry[5].request.method',
          error: 'request.method DELETE is not supported: import only creates and updates',
        },
        {
          index: 6,
          resourceType: 'Patient',
          path: 'entry[6].request.url',
          error: 'request.url "Observation" does not match the resource\'s type Patient',
        },
        {
          index: 7,
          resourceType: 'Patient',
          path: 'entry[7].resource.id',
          error: 'resource.id "p9" differs from the id in request.url "Patient/p8"',
        },
      ]);
      assert.equal(await total(), 0);
    });

    it('writes nothing of a file when its transaction fails part-way', async () => {
      await assert.rejects(
        importBundle(t.store, parseBundle(bundle([put(patient('half')), post(observation('Patient/half'))])), {
          now: NOW,
          afterWrite: async () => {
            throw new Error('disk full');
          },
        }),
        /disk full/,
      );
      assert.equal(await total(), 0);
      assert.deepEqual(await listChanges(t.store.db, 'half', 0), []);
    });

    it('keeps PUT ids, gives POSTs ids that are stable across imports, and versions only what changed', async () => {
      const entries = () => [
        put(patient('p-stable', { identifier: [{ system: 'urn:mrn', value: 'M1' }] })),
        post(observation('Patient/p-stable', { identifier: [{ system: 'urn:lab', value: 'L1' }] })),
        post(observation('Patient/p-stable', { code: { text: 'height' } })),
        post(
          observation('urn:uuid:6b0c6a57-5f0a-4e59-9d8e-3f0e2e9a4c11'),
          'urn:uuid:0f5b1b6e-8a53-4f4f-a7e5-7b3c1f7a2d10',
        ),
        {
          fullUrl: 'urn:uuid:6b0c6a57-5f0a-4e59-9d8e-3f0e2e9a4c11',
          resource: patient('ignored-for-post'),
          request: { method: 'POST', url: 'Patient' },
        },
      ];
      const first = await load(bundle(entries()));
      assert.deepEqual([first.created, first.rejected], [5, []]);
      assert.deepEqual(first.patients, ['6b0c6a57-5f0a-4e59-9d8e-3f0e2e9a4c11', 'p-stable']);
      assert.ok(await getResource(t.store.db, 'Observation', '0f5b1b6e-8a53-4f4f-a7e5-7b3c1f7a2d10'));
      const again = await load(bundle(entries()));
      assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 5]);
      assert.equal(await total(), 5);

      const cursor = (await listChanges(t.store.db, 'p-stable', 0)).at(-1)!.seq;
      const changed = entries();
      ((changed[1]!.resource as JsonObject).valueQuantity as JsonObject).value = 71;
      const third = await load(bundle(changed));
      assert.deepEqual([third.created, third.updated, third.unchanged], [0, 1, 4]);
      const feed = await listChanges(t.store.db, 'p-stable', cursor);
      assert.deepEqual(
        feed.map((c) => [c.resourceType, c.versionId]),
        [['Observation', 2]],
      );
      assert.deepEqual((feed[0]!.resource!.valueQuantity as JsonObject).value, 71);
    });

    it('uses the stored resource for a conditional create that matches one (ifNoneExist)', async () => {
      await load(
        bundle(
          [put({ resourceType: 'Practitioner', id: 'dr-a', identifier: [{ system: 'urn:npi', value: '42' }] })],
          'batch',
        ),
      );
      const report = await load(
        bundle([
          post(
            {
              resourceType: 'Practitioner',
              identifier: [{ system: 'urn:npi', value: '42' }],
              name: [{ family: 'Other' }],
            },
            'urn:uuid:b',
            { ifNoneExist: 'identifier=urn:npi|42' },
          ),
          post(observation('Patient/p-stable', { performer: [{ reference: 'urn:uuid:b' }] }), 'urn:uuid:c'),
        ]),
      );
      assert.deepEqual([report.created, report.unchanged, report.rejected.length], [1, 1, 0]);
      const stored = await getResource(t.store.db, 'Observation', 'c');
      assert.deepEqual(stored!.resource.performer, [{ reference: 'Practitioner/dr-a' }]);
      assert.equal((await getResource(t.store.db, 'Practitioner', 'dr-a'))!.versionId, 1);
    });

    it('rejects the second of two entries that are the same resource', async () => {
      const report = await load(bundle([put(patient('twin')), put(patient('twin', { gender: 'male' }))]));
      assert.deepEqual(report.rejected, [
        {
          index: 1,
          resourceType: 'Patient',
          path: 'entry[1]',
          error: 'it is the same resource (Patient/twin) as entry 0',
        },
      ]);
    });
  });
}
