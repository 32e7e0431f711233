import type { Observation, Patient, Quantity } from 'fhir/r4';
import { quantityText, unitText } from './fhir-display.js';
import { commonTest } from './lab-names.js';

/** The normal range drawn behind a test's trend, and where it came from. */
export interface NormalRange {
  low?: number;
  high?: number;
  /** The unit as people read it ("mg/dL"). */
  unit: string;
  /** `lab`: the range the lab sent with the latest result; `clinic`: the clinic's usual range for adults. */
  source: 'lab' | 'clinic';
  /** "70–99 mg/dL", "up to 99 mg/dL", "40 mg/dL or more". */
  text: string;
}

const unitKey = (q: Quantity | undefined) => (q?.code ?? q?.unit ?? '').trim();

function words(low: number | undefined, high: number | undefined, unit: string): string {
  const n = (value: number) => quantityText({ value });
  if (low !== undefined && high !== undefined) return `${n(low)}–${n(high)} ${unit}`.trim();
  if (high !== undefined) return `up to ${n(high)} ${unit}`.trim();
  return `${n(low!)} ${unit} or more`.replace(/\s+/g, ' ');
}

/** The lab's range of one result, if it has numbers in the result's own unit. */
function labRange(o: Observation): Pick<NormalRange, 'low' | 'high'> | undefined {
  const value = o.valueQuantity;
  for (const r of o.referenceRange ?? []) {
    const low = r.low?.value;
    const high = r.high?.value;
    if (low === undefined && high === undefined) continue;
    const sameUnit = [r.low, r.high].every(
      (q) => q?.value === undefined || !unitKey(q) || unitKey(q) === unitKey(value),
    );
    if (!sameUnit) continue;
    return { ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}) };
  }
  return undefined;
}

/** Whether the person was 18 or older on `at` (an ISO date), by their birth date; false when it is not known. */
export function adultOn(patient: Patient | undefined, at: string | undefined): boolean {
  const birth = patient?.birthDate;
  if (!birth || !at) return false;
  const [y, m, d] = birth.split('-').map(Number);
  const eighteenth = Date.UTC(y! + 18, (m ?? 1) - 1, d ?? 1);
  return Number.isFinite(eighteenth) && Date.parse(at) >= eighteenth;
}

/**
 * The normal range for a test's history (oldest first): the range the lab sent with the latest numeric result that
 * has one (in that result's unit); when the lab sent none, the clinic's usual adult range for a common test
 * (lab-names.ts), only for an adult and only when the result is in the same unit. Undefined when there is neither:
 * no band is drawn then.
 */
export function normalRange(history: Observation[], options: { adult: boolean }): NormalRange | undefined {
  const numeric = history.filter((o) => o.valueQuantity?.value !== undefined);
  const latest = numeric.at(-1);
  if (!latest) return undefined;
  const unit = unitText(latest.valueQuantity!.unit ?? latest.valueQuantity!.code);
  for (const o of [...numeric].reverse()) {
    if (unitKey(o.valueQuantity) !== unitKey(latest.valueQuantity)) continue;
    const range = labRange(o);
    if (range) return { ...range, unit, source: 'lab', text: words(range.low, range.high, unit) };
  }
  const usual = commonTest(latest.code)?.adultRange;
  if (!usual || !options.adult || usual.ucum !== unitKey(latest.valueQuantity)) return undefined;
  const { low, high } = usual;
  return {
    ...(low !== undefined ? { low } : {}),
    ...(high !== undefined ? { high } : {}),
    unit,
    source: 'clinic',
    text: words(low, high, unit),
  };
}
