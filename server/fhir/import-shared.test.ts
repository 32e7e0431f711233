import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { countByType, getResources, readCompartment } from '../store/resource-reads.js';
import { storeFactories, type TestStore } from '../testing/stores.js';
import { countEntries, readJson, sharedFiles, withoutServerMeta, type BundleJson } from '../testing/fhir-data.js';
import { parseBundle } from './bundle-input.js';
import { exportPatient } from './export.js';
import { importBundle, importFile, type ImportReport } from './import.js';
import { compartmentsOf, forEachReference, identifiersOf, type JsonObject } from '../fhir-json/references.js';
import { fhirValidator } from './validator.js';

// Every bundle in ../shared/fhir, imported in the order an operator would (support first), on both databases.
const files = [...sharedFiles('support'), ...sharedFiles('patients'), ...sharedFiles('ips')];
const bundles = new Map<string, BundleJson>(files.map((f) => [f, readJson(f)]));
const NOW = new Date('2026-05-01T08:00:00Z');

/** What the stored resource must be: the file's resource with every reference pointing at `Type/id` of its target. */
function expectedStored(bundle: BundleJson, resource: JsonObject, byIdentifier: Map<string, string>): JsonObject {
  const typeOf = new Map(bundle.entry.map((e) => [e.fullUrl, `${e.resource.resourceType}/${e.resource.id}`]));
  const copy = structuredClone(resource);
  forEachReference(copy, (ref) => {
    if (ref.reference.startsWith('urn:')) ref.reference = typeOf.get(ref.reference)!;
    else if (ref.reference.includes('?identifier=')) {
      const [type, query] = ref.reference.split('?identifier=') as [string, string];
      ref.reference = `${type}/${byIdentifier.get(`${type}|${query}`)}`;
    } else if (/^https?:/.test(ref.reference) && typeOf.has(ref.reference)) ref.reference = typeOf.get(ref.reference)!;
  });
  return withoutServerMeta(copy);
}

for (const factory of storeFactories) {
  describe(`importing the shared FHIR data on ${factory.name}`, () => {
    let t: TestStore;
    const reports = new Map<string, ImportReport>();
    const byIdentifier = new Map<string, string>();
    before(async () => {
      t = await factory.open();
      for (const file of files) reports.set(file, await importFile(t.store, file, { now: NOW }));
      for (const file of sharedFiles('support')) {
        for (const e of bundles.get(file)!.entry) {
          for (const id of identifiersOf(e.resource))
            byIdentifier.set(`${e.resource.resourceType}|${id.system}|${id.value}`, e.resource.id as string);
        }
      }
    });
    after(async () => {
      await t?.cleanup();
    });

    it('loads every entry of every file, counted per resource type, and rejects none', () => {
      for (const file of files) {
        const report = reports.get(file)!;
        assert.deepEqual(report.rejected, [], basename(file));
        assert.deepEqual(report.imported, countEntries(bundles.get(file)!), basename(file));
      }
      assert.deepEqual(reports.get(files.find((f) => f.includes('uscore'))!)!.patients, ['85']);
      assert.deepEqual(reports.get(files.find((f) => f.includes('Georgianne'))!)!.patients, [
        'ebf0d007-a52f-5364-5c32-2ba094b88f16',
      ]);
    });

    it('stores one resource per distinct Type/id across the files, with the id each file gave it', async () => {
      const expected: Record<string, Set<string>> = {};
      for (const bundle of bundles.values()) {
        for (const e of bundle.entry)
          (expected[e.resource.resourceType as string] ??= new Set()).add(e.resource.id as string);
      }
      const counts = Object.fromEntries(Object.entries(expected).map(([type, ids]) => [type, ids.size]));
      assert.deepEqual(
        await countByType(t.store.db),
        Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))),
      );
    });

    it('keeps each resource as the file has it, with urn:uuid and conditional references resolved to Type/id', async () => {
      // Organizations that several files share are last-writer-wins; compare the rest (every clinical resource).
      const shared = new Map<string, number>();
      for (const bundle of bundles.values())
        for (const e of bundle.entry)
          shared.set(
            `${e.resource.resourceType}/${e.resource.id}`,
            (shared.get(`${e.resource.resourceType}/${e.resource.id}`) ?? 0) + 1,
          );
      let compared = 0;
      for (const [file, bundle] of bundles) {
        const byType = new Map<string, JsonObject[]>();
        for (const e of bundle.entry)
          if (shared.get(`${e.resource.resourceType}/${e.resource.id}`) === 1)
            byType.set(e.resource.resourceType as string, [
              ...(byType.get(e.resource.resourceType as string) ?? []),
              e.resource,
            ]);
        for (const [type, resources] of byType) {
          const stored = new Map(
            (
              await getResources(
                t.store.db,
                type,
                resources.map((r) => r.id as string),
              )
            ).map((s) => [s.id, s]),
          );
          for (const resource of resources) {
            const found = stored.get(resource.id as string);
            assert.ok(found, `${basename(file)}: ${type}/${resource.id} is not stored`);
            assert.deepEqual(
              withoutServerMeta(found.resource),
              expectedStored(bundle, resource, byIdentifier),
              `${basename(file)}: ${type}/${resource.id}`,
            );
            compared++;
          }
        }
      }
      assert.ok(compared > 7500, `compared ${compared}`);
    });

    it('resolves the conditional references of the newer Synthea format into the support bundles', async () => {
      const [encounter] = await getResources(t.store.db, 'Encounter', [
        bundles
          .get(files.find((f) => f.includes('Georgianne'))!)!
          .entry.find((e) => e.resource.resourceType === 'Encounter')!.resource.id as string,
      ]);
      const individual = ((encounter!.resource.participant as JsonObject[])[0]!.individual as JsonObject)
        .reference as string;
      assert.match(individual, /^Practitioner\/[0-9a-f-]{36}$/);
      const [practitioner] = await getResources(t.store.db, 'Practitioner', [individual.split('/')[1]!]);
      assert.equal((practitioner!.resource.identifier as JsonObject[])[0]!.system, 'http://hl7.org/fhir/sid/us-npi');
    });

    it('changes nothing when the same files are imported again (no new versions, no new changes)', async () => {
      const before = await t.store.db
        .selectFrom('fhir_resource')
        .select(['resource_type', 'id', 'version_id', 'content'])
        .orderBy('resource_type')
        .orderBy('id')
        .execute();
      const changes = await t.store.db
        .selectFrom('fhir_change')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      // Support files first would flip the Organizations the patient files also carry: re-import patients and IPS.
      for (const file of [...sharedFiles('patients'), ...sharedFiles('ips')]) {
        const again = await importFile(t.store, file, { now: new Date('2026-06-01T00:00:00Z') });
        assert.equal(again.created + again.updated, 0, basename(file));
        assert.deepEqual(again.imported, reports.get(file)!.imported);
      }
      const after = await t.store.db
        .selectFrom('fhir_resource')
        .select(['resource_type', 'id', 'version_id', 'content'])
        .orderBy('resource_type')
        .orderBy('id')
        .execute();
      assert.deepEqual(after, before);
      assert.deepEqual(
        await t.store.db
          .selectFrom('fhir_change')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .executeTakeFirstOrThrow(),
        changes,
      );
    });

    it('exports each patient as a collection Bundle that validates and re-imports to identical resources', async () => {
      const validator = fhirValidator();
      const fresh = await factory.open();
      try {
        const patients = [...new Set([...reports.values()].flatMap((r) => r.patients))];
        assert.equal(patients.length, 9);
        for (const patientId of patients) {
          const bundle = await exportPatient(t.store.db, patientId, { base: 'https://portal.example/fhir', now: NOW });
          assert.ok(bundle);
          assert.equal(bundle.type, 'collection');
          assert.equal(validator.validate(bundle), undefined, `export of ${patientId}`);
          const json = JSON.parse(JSON.stringify(bundle)) as unknown;
          // Into the same store: nothing changes. Into an empty one: the same resources, ids and content.
          const same = await importBundle(t.store, parseBundle(json), { now: NOW });
          assert.deepEqual([same.created, same.updated, same.rejected.length], [0, 0, 0], patientId);
          const report = await importBundle(fresh.store, parseBundle(json), { now: NOW });
          assert.deepEqual(report.rejected, [], patientId);
          for (const entry of bundle.entry!) {
            const original = entry.resource as unknown as JsonObject;
            const [copy] = await getResources(fresh.store.db, original.resourceType as string, [original.id as string]);
            assert.deepEqual(
              withoutServerMeta(copy!.resource),
              withoutServerMeta(original),
              `${original.resourceType}/${original.id}`,
            );
          }
          // Everything in the compartment is there; whatever else is there belongs to nobody (shared resources).
          const exported = new Set(bundle.entry!.map((e) => `${e.resource!.resourceType}/${e.resource!.id}`));
          const own = await readCompartment(t.store.db, patientId);
          assert.ok(
            own.every((r) => exported.has(`${r.resourceType}/${r.id}`)),
            patientId,
          );
          for (const e of bundle.entry!) {
            const patients = compartmentsOf(e.resource as unknown as JsonObject);
            assert.ok(
              patients.length === 0 || patients.includes(patientId),
              `${patientId}: ${e.fullUrl} is another patient's`,
            );
          }
        }
      } finally {
        await fresh.cleanup();
      }
    });
  });
}
