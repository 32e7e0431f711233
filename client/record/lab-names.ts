import type { CodeableConcept, Coding } from 'fhir/r4';

/**
 * Names of tests and measurements that a patient understands, and the technical name kept beside them. Labs send
 * LOINC long common names ("Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay"): accurate for a
 * lab, jargon for everyone else. Pure functions over FHIR R4 `CodeableConcept`s.
 */

export const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';

/** One of the clinic's common tests: the name it uses with patients, and its usual adult range when it has one. */
export interface CommonTest {
  name: string;
  /** The clinic's usual range for adults, in `ucum` units: used only when the lab sent no range of its own. */
  adultRange?: { low?: number; high?: number; ucum: string };
}

const test = (name: string, adultRange?: CommonTest['adultRange']): CommonTest => ({
  name,
  ...(adultRange ? { adultRange } : {}),
});
const mgdl = (low: number | undefined, high: number | undefined) => ({
  ...(low !== undefined ? { low } : {}),
  ...(high !== undefined ? { high } : {}),
  ucum: 'mg/dL',
});
const mmol = (low: number, high: number) => ({ low, high, ucum: 'mmol/L' });

/**
 * The clinic's names for common tests, by LOINC code: the lipid panel, blood count, metabolic panels, HbA1c and
 * vital signs, with the codes both Synthea (../shared/fhir) and the demo clinic (server/fhir/demo) write. Usual
 * adult ranges only where one range fits most adults (not where it depends on sex, such as hemoglobin).
 */
export const COMMON_TESTS: Readonly<Record<string, CommonTest>> = {
  // Lipid panel
  '57698-3': test('Cholesterol panel'),
  '24331-1': test('Cholesterol panel'),
  '2093-3': test('Total cholesterol', mgdl(undefined, 199)),
  '18262-6': test('LDL cholesterol ("bad" cholesterol)', mgdl(undefined, 99)),
  '13457-7': test('LDL cholesterol ("bad" cholesterol)', mgdl(undefined, 99)),
  '2089-1': test('LDL cholesterol ("bad" cholesterol)', mgdl(undefined, 99)),
  '2085-9': test('HDL cholesterol ("good" cholesterol)', mgdl(40, undefined)),
  '2571-8': test('Triglycerides', mgdl(undefined, 149)),
  // Complete blood count
  '58410-2': test('Complete blood count (CBC)'),
  '6690-2': test('White blood cells', { low: 4.5, high: 11, ucum: '10*3/uL' }),
  '789-8': test('Red blood cells'),
  '718-7': test('Hemoglobin'),
  '4544-3': test('Hematocrit'),
  '787-2': test('Red cell size (MCV)'),
  '785-6': test('Hemoglobin per red cell (MCH)'),
  '786-4': test('Hemoglobin concentration in red cells (MCHC)'),
  '21000-5': test('Red cell size variation (RDW)'),
  '777-3': test('Platelets', { low: 150, high: 400, ucum: '10*3/uL' }),
  '32207-3': test('Platelet size variation (PDW)'),
  '32623-1': test('Platelet size (MPV)'),
  // Metabolic panels
  '51990-0': test('Basic metabolic panel'),
  '24323-8': test('Comprehensive metabolic panel'),
  '2339-0': test('Blood sugar (glucose)', mgdl(70, 99)),
  '2345-7': test('Blood sugar (glucose)', mgdl(70, 99)),
  '6299-2': test('Urea nitrogen (BUN)', mgdl(7, 20)),
  '3094-0': test('Urea nitrogen (BUN)', mgdl(7, 20)),
  '38483-4': test('Creatinine (kidney function)'),
  '2160-0': test('Creatinine (kidney function)'),
  '33914-3': test('eGFR (kidney function)', { low: 60, ucum: 'mL/min/{1.73_m2}' }),
  '49765-1': test('Calcium', mgdl(8.5, 10.2)),
  '17861-6': test('Calcium', mgdl(8.5, 10.2)),
  '2947-0': test('Sodium', mmol(136, 145)),
  '2951-2': test('Sodium', mmol(136, 145)),
  '6298-4': test('Potassium', mmol(3.5, 5.1)),
  '2823-3': test('Potassium', mmol(3.5, 5.1)),
  '2069-3': test('Chloride', mmol(98, 107)),
  '2075-0': test('Chloride', mmol(98, 107)),
  '20565-8': test('Carbon dioxide (bicarbonate)', mmol(22, 29)),
  '2028-9': test('Carbon dioxide (bicarbonate)', mmol(22, 29)),
  '2885-2': test('Total protein'),
  '1751-7': test('Albumin'),
  '10834-0': test('Globulin'),
  '1975-2': test('Bilirubin'),
  '6768-6': test('Alkaline phosphatase (ALP)'),
  '1742-6': test('ALT (liver enzyme)'),
  '1920-8': test('AST (liver enzyme)'),
  // Diabetes, thyroid, kidneys
  '4548-4': test('HbA1c (average blood sugar)', { high: 5.6, ucum: '%' }),
  '3016-3': test('TSH (thyroid)'),
  '14959-1': test('Albumin in urine (kidney check)'),
  // Vital signs
  '85354-9': test('Blood pressure'),
  '55284-4': test('Blood pressure'),
  '8480-6': test('Systolic blood pressure (top number)'),
  '8462-4': test('Diastolic blood pressure (bottom number)'),
  '39156-5': test('Body mass index (BMI)', { low: 18.5, high: 24.9, ucum: 'kg/m2' }),
  '29463-7': test('Weight'),
  '8302-2': test('Height'),
  '8867-4': test('Heart rate', { low: 60, high: 100, ucum: '/min' }),
  '9279-1': test('Breathing rate'),
  '8310-5': test('Body temperature'),
  '8331-1': test('Temperature (by mouth)'),
  '2708-6': test('Oxygen level in blood'),
  '59408-5': test('Oxygen level (pulse oximeter)'),
  '72514-3': test('Pain score (0 to 10)'),
  '9843-4': test('Head circumference'),
  '72166-2': test('Smoking status'),
};

function loincCoding(cc: CodeableConcept | undefined): Coding | undefined {
  return cc?.coding?.find((c) => c.system === LOINC && c.code);
}

/** The clinic's entry for the concept's LOINC code, if it is one of the common tests. */
export function commonTest(cc: CodeableConcept | undefined): CommonTest | undefined {
  const code = loincCoding(cc)?.code;
  return code ? COMMON_TESTS[code] : undefined;
}

// Where the sample came from, when it is the usual place (blood): said by the test's name anyway.
const BLOOD = /\s+(?:in|of)\s+(?:Serum or Plasma|Serum\/Plasma|Serum|Plasma|Blood|Arterial blood|Venous blood)\b/gi;

/**
 * A LOINC long name without its technical parts: the bracketed property ("[Mass/volume]"), the method
 * ("by Direct assay", "by Automated count"), blood as the specimen and a SNOMED semantic tag ("(finding)").
 * "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay" → "Cholesterol in LDL";
 * "Glucose [Mass/volume] in Urine by Test strip" → "Glucose in urine".
 */
export function plainDisplay(display: string): string {
  const plain = display
    .replace(/[\u200b-\u200d\ufeff]/g, '') // zero-width characters Synthea leaves inside words
    .replace(/\s*\[[^\]]*\]/g, '')
    .replace(/\s+by\s+.*$/i, '')
    .replace(/\s+-\s+(?:Reported|Blood|Serum or Plasma)$/i, '')
    .replace(BLOOD, '')
    .replace(/\s+in\s+(Urine|Stool|Saliva|Cerebral spinal fluid)\b/g, (_m, s: string) => ` in ${s.toLowerCase()}`)
    .replace(/\s+\((?:observable entity|finding|procedure|disorder|qualifier value)\)$/i, '')
    .replace(/([a-z])\.([a-z])/gi, '$1 $2') // "Bilirubin.total" → "Bilirubin total"
    .replace(/\s+/g, ' ')
    .trim();
  return plain || display.trim();
}

/** Words a lab writes for itself: a LOINC property or scale in brackets. */
function looksTechnical(text: string): boolean {
  return /\[[^\]]*\]/.test(text);
}

/**
 * The name of a test or measurement for the patient: the clinic's own name for a common test (by LOINC code);
 * else the code's text when someone wrote it for people (plainer than the coded long name); else the coded name
 * without its technical parts. `fallback` when nothing names it.
 */
export function labName(cc: CodeableConcept | undefined, fallback = 'Test'): string {
  const common = commonTest(cc);
  if (common) return common.name;
  const text = cc?.text?.trim();
  const display = (loincCoding(cc) ?? cc?.coding?.find((c) => c.display))?.display?.trim();
  if (text && !looksTechnical(text) && (!display || text !== display)) return text;
  const named = display || text;
  if (named) return plainDisplay(named);
  return cc?.coding?.[0]?.code ?? fallback;
}

const SYSTEM_NAMES: Record<string, string> = { [LOINC]: 'LOINC', [SNOMED]: 'SNOMED CT' };

/**
 * The technical name kept on a test's own page, for the patient to look up or show a clinician:
 * "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay (LOINC 18262-6)". The LOINC coding when
 * there is one; undefined when the concept has no coding at all.
 */
export function technicalName(cc: CodeableConcept | undefined): string | undefined {
  const coding = loincCoding(cc) ?? cc?.coding?.find((c) => c.code);
  if (!coding?.code) return undefined;
  const system = SYSTEM_NAMES[coding.system ?? ''] ?? 'code';
  const name = coding.display?.replace(/[\u200b-\u200d\ufeff]/g, '').trim() || cc?.text?.trim();
  return name ? `${name} (${system} ${coding.code})` : `${system} ${coding.code}`;
}
