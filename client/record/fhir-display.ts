import { dateFormat } from '../ui/date-format.js';
import type {
  CodeableConcept,
  DiagnosticReport,
  Dosage,
  MedicationRequest,
  Observation,
  Quantity,
  Reference,
} from 'fhir/r4';

/**
 * FHIR values in words for patients: names of things, values with units, reference ranges and flags, dosage in
 * plain language, dates in the person's own format. Pure functions (tested with real Synthea resources).
 */
export function conceptText(cc: CodeableConcept | undefined, fallback = 'Not named'): string {
  return cc?.text?.trim() || cc?.coding?.find((c) => c.display)?.display?.trim() || cc?.coding?.[0]?.code || fallback;
}

export function codeKey(cc: CodeableConcept | undefined): string {
  const coding = cc?.coding?.[0];
  if (coding?.code) return `${coding.system ?? ''}|${coding.code}`;
  return cc?.text ? `text|${cc.text.toLowerCase()}` : '';
}

export function formatDate(iso: string | undefined, withTime = false): string {
  if (!iso) return 'Date not recorded';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // A date without a time (YYYY-MM-DD) is a calendar day: show it as that day wherever the reader is.
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return dateFormat({ dateStyle: 'medium' }).format(new Date(`${iso}T12:00:00`));
  return dateFormat(withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }).format(date);
}

function round(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

/** UCUM units people can read: "mm[Hg]" → "mmHg", "{score}" → "", "kg/m2" → "kg/m²". */
export function unitText(unit: string | undefined): string {
  if (!unit) return '';
  return unit
    .replace(/\[|\]/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/m2\b/g, 'm²')
    .replace(/^1$/, '')
    .trim();
}

export function quantityText(q: Quantity | undefined): string {
  if (q?.value === undefined) return '';
  return `${q.comparator ?? ''}${round(q.value)} ${unitText(q.unit ?? q.code)}`.trim();
}

export function observationValue(o: Observation): string {
  if (o.valueQuantity) return quantityText(o.valueQuantity);
  if (o.valueCodeableConcept) return conceptText(o.valueCodeableConcept);
  if (o.valueString !== undefined) return o.valueString;
  if (o.valueBoolean !== undefined) return o.valueBoolean ? 'Yes' : 'No';
  if (o.valueInteger !== undefined) return String(o.valueInteger);
  if (o.component?.length) {
    // Blood pressure and other panels in one observation: "120/80 mmHg" when the units agree.
    const parts = o.component.map((c) => c.valueQuantity).filter((q): q is Quantity => q?.value !== undefined);
    const units = new Set(parts.map((q) => unitText(q.unit ?? q.code)));
    if (parts.length === o.component.length && units.size === 1)
      return `${parts.map((q) => round(q.value!)).join('/')} ${[...units][0]}`.trim();
    return o.component
      .map(
        (c) =>
          `${conceptText(c.code)}: ${c.valueQuantity ? quantityText(c.valueQuantity) : conceptText(c.valueCodeableConcept, '')}`,
      )
      .join('; ');
  }
  return o.dataAbsentReason ? `Not available (${conceptText(o.dataAbsentReason)})` : 'No value';
}

export function rangeText(o: Observation): string {
  const r = o.referenceRange?.[0];
  if (!r) return '';
  if (r.text) return r.text;
  if (r.low && r.high) return `${round(r.low.value!)}–${quantityText(r.high)}`;
  if (r.low) return `${quantityText(r.low)} or more`;
  if (r.high) return `up to ${quantityText(r.high)}`;
  return '';
}

export type FlagLevel = 'critical-high' | 'critical-low' | 'high' | 'low' | 'abnormal';
export interface Flag {
  level: FlagLevel;
  /** Words for everyone, also read by screen readers (never colour alone). */
  label: string;
}

const FLAG_CODES: Record<string, Flag> = {
  HH: { level: 'critical-high', label: 'Critically high' },
  LL: { level: 'critical-low', label: 'Critically low' },
  H: { level: 'high', label: 'High' },
  HU: { level: 'high', label: 'High' },
  L: { level: 'low', label: 'Low' },
  LU: { level: 'low', label: 'Low' },
  AA: { level: 'abnormal', label: 'Critically abnormal' },
  A: { level: 'abnormal', label: 'Abnormal' },
};

/** The result's flag: from the lab's interpretation when there is one, else from its reference range. */
export function flagOf(o: Observation): Flag | undefined {
  for (const i of o.interpretation ?? []) {
    for (const c of i.coding ?? []) if (c.code && FLAG_CODES[c.code]) return FLAG_CODES[c.code];
  }
  const value = o.valueQuantity?.value;
  const r = o.referenceRange?.[0];
  if (value === undefined || !r) return undefined;
  if (r.high?.value !== undefined && value > r.high.value) return FLAG_CODES.H;
  if (r.low?.value !== undefined && value < r.low.value) return FLAG_CODES.L;
  return undefined;
}

export function refId(ref: Reference | undefined): string | undefined {
  const m = /^(?:[A-Za-z]+\/)?([A-Za-z0-9\-.]{1,64})$/.exec(ref?.reference ?? '');
  return m?.[1];
}

export function reportResultIds(report: DiagnosticReport): string[] {
  return (report.result ?? []).map(refId).filter((id): id is string => Boolean(id));
}

const UNITS: Record<string, [string, string]> = {
  s: ['second', 'seconds'],
  min: ['minute', 'minutes'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  wk: ['week', 'weeks'],
  mo: ['month', 'months'],
  a: ['year', 'years'],
};

/** Dosage in plain words: the prescriber's text when there is one, else built from dose, timing and "as needed". */
export function dosageText(d: Dosage | undefined): string {
  if (!d) return 'No instructions recorded';
  if (d.patientInstruction) return d.patientInstruction;
  if (d.text) return d.text;
  const parts: string[] = [];
  const dose = d.doseAndRate?.[0]?.doseQuantity;
  if (dose?.value !== undefined) parts.push(`Take ${round(dose.value)}${dose.unit ? ` ${unitText(dose.unit)}` : ''}`);
  const r = d.timing?.repeat;
  if (r?.frequency && r.period && r.periodUnit) {
    const unit = UNITS[r.periodUnit] ?? [r.periodUnit, r.periodUnit];
    const times = r.frequency === 1 ? 'once' : r.frequency === 2 ? 'twice' : `${r.frequency} times`;
    parts.push(r.period === 1 ? `${times} a ${unit[0]}` : `${times} every ${r.period} ${unit[1]}`);
  }
  if (d.asNeededBoolean || d.asNeededCodeableConcept)
    parts.push(
      d.asNeededCodeableConcept
        ? `when needed for ${conceptText(d.asNeededCodeableConcept).toLowerCase()}`
        : 'when needed',
    );
  if (d.route) parts.push(`(${conceptText(d.route).toLowerCase()})`);
  return parts.length ? parts.join(' ') : 'No instructions recorded';
}

export function medicationName(m: MedicationRequest): string {
  return conceptText(m.medicationCodeableConcept, m.medicationReference?.display ?? 'Medication');
}

export function isActiveMedication(m: MedicationRequest): boolean {
  return m.status === 'active' || m.status === 'on-hold';
}

/** Refills left, when the prescription says how many it allows. */
export function refillsText(m: MedicationRequest): string {
  const allowed = m.dispenseRequest?.numberOfRepeatsAllowed;
  return allowed === undefined
    ? 'Refills not recorded'
    : allowed === 0
      ? 'No refills left'
      : `${allowed} refill${allowed === 1 ? '' : 's'} allowed`;
}

/** Text of a base64 attachment (a clinical note), decoded as UTF-8; shown as text, never as HTML. */
export function attachmentText(data: string | undefined): string {
  if (!data) return '';
  try {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  } catch {
    return '';
  }
}
