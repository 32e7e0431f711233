import { readFileSync } from 'node:fs';
import { clinicSchema, type ClinicInfo } from '../common/clinic.js';
import { demoClinic } from '../common/demo-clinic.js';

/** Reads a clinic file (JSON) over the demo defaults. Throws with a message that names the file and the field. */
export function loadClinic(file: string | undefined): ClinicInfo {
  if (!file) return demoClinic;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`CLINIC_CONFIG=${file} cannot be read as JSON: ${(error as Error).message}`, { cause: error });
  }
  const merged = { ...demoClinic, ...(raw as object) };
  const parsed = clinicSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`CLINIC_CONFIG=${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  return parsed.data;
}
