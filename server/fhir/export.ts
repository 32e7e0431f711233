import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import type { Kysely } from 'kysely';
import { getResources, readCompartment } from '../store/resource-reads.js';
import type { StoredResource } from '../store/resources.js';
import type { Database } from '../store/schema.js';
import { compartmentsOf, relativeTargetsOf } from '../fhir-json/references.js';

export interface ExportOptions {
  /** The FHIR base the entries' fullUrls are built on, e.g. `https://portal.clinic.example/fhir`. */
  base: string;
  now: Date;
}

/**
 * A patient's whole record as a FHIR `collection` Bundle: every resource in their compartment, plus the shared
 * resources those refer to (Practitioner, Organization, Location, Medication, … and what those refer to), so the
 * bundle re-imports on its own into an empty store. Resources in another patient's compartment are never included.
 * Each entry's fullUrl is `<base>/<Type>/<id>`, so a re-import keeps every id. Undefined when there is no such Patient.
 */
export async function exportPatient(
  db: Kysely<Database>,
  patientId: string,
  options: ExportOptions,
): Promise<Bundle | undefined> {
  const own = await readCompartment(db, patientId);
  if (!own.some((r) => r.resourceType === 'Patient' && r.id === patientId)) return undefined;
  const included = new Map<string, StoredResource>(own.map((r) => [`${r.resourceType}/${r.id}`, r]));
  let frontier = own;
  while (frontier.length) {
    const wanted = new Map<string, Set<string>>();
    for (const r of frontier) {
      for (const target of relativeTargetsOf(r.resource)) {
        if (included.has(target)) continue;
        const [type, id] = target.split('/') as [string, string];
        if (!wanted.has(type)) wanted.set(type, new Set());
        wanted.get(type)!.add(id);
      }
    }
    frontier = [];
    for (const [type, ids] of wanted) {
      for (const r of await getResources(db, type, [...ids])) {
        if (compartmentsOf(r.resource).length > 0) continue; // someone else's record
        included.set(`${r.resourceType}/${r.id}`, r);
        frontier.push(r);
      }
    }
  }
  const base = options.base.replace(/\/+$/, '');
  const order = (r: StoredResource) => (r.resourceType === 'Patient' && r.id === patientId ? 0 : 1);
  const resources = [...included.values()].sort(
    (a, b) => order(a) - order(b) || a.resourceType.localeCompare(b.resourceType) || a.id.localeCompare(b.id),
  );
  const entry: BundleEntry[] = resources.map((r) => ({
    fullUrl: `${base}/${r.resourceType}/${r.id}`,
    resource: r.resource as unknown as FhirResource,
  }));
  return { resourceType: 'Bundle', type: 'collection', timestamp: options.now.toISOString(), entry };
}
