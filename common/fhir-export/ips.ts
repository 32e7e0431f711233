import type { Bundle, Composition, CompositionSection, FhirResource } from 'fhir/r4';
import { IPS_SECTIONS, type IpsSection } from './ips-sections.js';
import { patientOf, type ExportSeams } from './patient-bundle.js';
import { keyOf, rewrite, targetsOf, urnsFor, type AnyResource } from './references.js';

export interface IpsOptions extends ExportSeams {
  /**
   * Who the Composition names as its author: the device that assembled it (a Device "mayocarelink", the
   * default: the portal put the summary together from what the clinic recorded) or the patient themselves.
   */
  author?: 'device' | 'patient';
}

/** Kinds of resource a section's entry may need to be read (a MedicationRequest's Medication, a report's results). */
const SUPPORTING = new Set([
  'Medication',
  'Observation',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'Device',
  'Specimen',
  'Substance',
]);

const XHTML = 'http://www.w3.org/1999/xhtml';
const LOINC = 'http://loinc.org';

/** Text for XHTML: the record's words never become markup. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function narrative(section: IpsSection, entries: readonly AnyResource[]): string {
  if (!entries.length) return `<div xmlns="${XHTML}"><p>${escapeXml(section.none)}</p></div>`;
  const head = section.columns.map((c) => `<th>${escapeXml(c)}</th>`).join('');
  const rows = entries
    .map(
      (r) =>
        `<tr>${section
          .row(r)
          .map((cell) => `<td>${escapeXml(cell)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<div xmlns="${XHTML}"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function patientName(patient: AnyResource): string {
  const names = (patient.name ?? []) as { use?: string; text?: string; given?: string[]; family?: string }[];
  const n = names.find((x) => x.use === 'official') ?? names[0];
  return n?.text ?? [...(n?.given ?? []), n?.family ?? ''].join(' ').trim();
}

/**
 * An International Patient Summary of the record (HL7 IPS 2.0.0): a FHIR `document` Bundle whose first entry is
 * a Composition (status final, LOINC 60591-5 "Patient summary Document", subject the Patient, authored by the
 * device or the patient), then the Patient, the author, and every resource a section refers to, with what those
 * need to be read (a Medication, a report's results, a practitioner the record holds). Sections, in the order of
 * the IPS examples: medications, allergies, problems (required: present with an emptyReason when the record holds
 * none), immunizations, results, procedures, vital signs (when the record holds any). Each section has a generated
 * XHTML narrative listing its entries. Every fullUrl is a `urn:uuid:`, every reference inside the document
 * resolves to an entry of it; a reference to anything else keeps only its display text.
 */
export function ipsDocument(resources: readonly AnyResource[], options: IpsOptions): Bundle {
  const patient = patientOf(resources);
  if (!patient) throw new Error('An International Patient Summary needs the Patient of the record.');
  const byKey = new Map(resources.map((r) => [keyOf(r), r]));
  const chosen = IPS_SECTIONS.map((section) => ({ section, entries: resources.filter((r) => section.holds(r)) }));

  const now = options.now.toISOString();
  const author: AnyResource =
    options.author === 'patient'
      ? patient
      : {
          resourceType: 'Device',
          id: options.newId(),
          deviceName: [{ name: 'mayocarelink', type: 'user-friendly-name' }],
          type: { text: 'Patient portal' },
        };
  const included = new Map<string, AnyResource>([[keyOf(patient), patient]]);
  if (author !== patient) included.set(keyOf(author), author);
  for (const { entries } of chosen) for (const r of entries) included.set(keyOf(r), r);
  let frontier = [...included.values()];
  while (frontier.length) {
    const next: AnyResource[] = [];
    for (const r of frontier)
      for (const target of targetsOf(r)) {
        const found = byKey.get(target);
        if (found && !included.has(target) && SUPPORTING.has(found.resourceType)) {
          included.set(target, found);
          next.push(found);
        }
      }
    frontier = next;
  }

  const composition: AnyResource = { resourceType: 'Composition', id: options.newId() };
  const ordered = [composition, ...included.values()];
  const urns = urnsFor(ordered, options.newId);
  const ref = (r: AnyResource) => ({ reference: urns.get(keyOf(r))! });

  const sections: CompositionSection[] = chosen
    .filter(({ section, entries }) => section.required || entries.length > 0)
    .map(({ section, entries }) => ({
      title: section.title,
      code: { coding: [{ system: LOINC, code: section.loinc, display: section.display }] },
      text: { status: 'generated', div: narrative(section, entries) },
      ...(entries.length
        ? { entry: entries.map(ref) }
        : {
            emptyReason: {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason',
                  code: 'unavailable',
                  display: 'Unavailable',
                },
              ],
              text: section.none,
            },
          }),
    }));
  const name = patientName(patient);
  const doc: Composition = {
    resourceType: 'Composition',
    id: composition.id!,
    text: {
      status: 'generated',
      div: `<div xmlns="${XHTML}"><p>${escapeXml(`International Patient Summary${name ? ` of ${name}` : ''}, made ${now.slice(0, 10)} from the patient portal record.`)}</p></div>`,
    },
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${options.newId()}` },
    status: 'final',
    type: { coding: [{ system: LOINC, code: '60591-5', display: 'Patient summary Document' }] },
    subject: ref(patient),
    date: now,
    author: [ref(author)],
    title: 'International Patient Summary',
    confidentiality: 'N',
    event: [
      {
        code: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActClass', code: 'PCPR' }] }],
        period: { end: now },
      },
    ],
    section: sections,
  };
  return {
    resourceType: 'Bundle',
    id: options.newId(),
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${options.newId()}` },
    type: 'document',
    timestamp: now,
    entry: [
      { fullUrl: urns.get(keyOf(composition))!, resource: doc },
      ...[...included.values()].map((r) => ({
        fullUrl: urns.get(keyOf(r))!,
        resource: rewrite(r, urns, 'drop') as unknown as FhirResource,
      })),
    ],
  };
}
