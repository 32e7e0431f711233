import type { Bundle } from 'fhir/r4';
import { ipsDocument } from './ips.js';
import { patientBundle, type ExportSeams } from './patient-bundle.js';
import type { AnyResource } from './references.js';

/** What "Download for another clinic" makes: the whole record as a FHIR Bundle, or an International Patient Summary. */
export type ExportKind = 'fhir' | 'ips';

export function makeExport(resources: readonly AnyResource[], kind: ExportKind, seams: ExportSeams): Bundle {
  return kind === 'ips' ? ipsDocument(resources, seams) : patientBundle(resources, seams);
}

/** The file's name: what it is and the day it was made (`health-record-fhir-2026-12-03.json`). */
export function exportFileName(kind: ExportKind, now: Date): string {
  return `${kind === 'ips' ? 'patient-summary-ips' : 'health-record-fhir'}-${now.toISOString().slice(0, 10)}.json`;
}
