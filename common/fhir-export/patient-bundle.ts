import type { Bundle, FhirResource } from 'fhir/r4';
import { keyOf, rewrite, urnsFor, type AnyResource } from './references.js';

export interface ExportSeams {
  /** When the file is made (Bundle.timestamp, Composition.date). */
  now: Date;
  /** A new random UUID (no braces, no `urn:uuid:`), for resources whose id is not one and for the bundle's own ids. */
  newId: () => string;
}

/** The Patient of the record: the one resource the whole export is about. */
export function patientOf(resources: readonly AnyResource[]): AnyResource | undefined {
  return resources.find((r) => r.resourceType === 'Patient');
}

/**
 * The patient's whole record as the device holds it, as a FHIR R4 `collection` Bundle: every resource of every type
 * (results, medications, visits, documents with their Binary content, messages, appointments, …), the Patient
 * first, the rest by type and date order as given. Each entry's fullUrl is a `urn:uuid:` and references between
 * entries point at it; a reference to something the record does not hold (a practitioner, say) is kept as written,
 * so nothing the record says is lost. Binary resources are included, not referenced: the file is the record.
 */
export function patientBundle(resources: readonly AnyResource[], seams: ExportSeams): Bundle {
  const patient = patientOf(resources);
  const ordered = patient ? [patient, ...resources.filter((r) => r !== patient)] : [...resources];
  const urns = urnsFor(ordered, seams.newId);
  return {
    resourceType: 'Bundle',
    id: seams.newId(),
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${seams.newId()}` },
    type: 'collection',
    timestamp: seams.now.toISOString(),
    entry: ordered.map((r) => ({
      fullUrl: urns.get(keyOf(r))!,
      resource: rewrite(r, urns, 'keep') as unknown as FhirResource,
    })),
  };
}
