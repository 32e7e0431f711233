import type { Coding } from 'fhir/r4';

/** Code systems the demo uses (https://terminology.hl7.org). */
export const SYSTEM = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  ucum: 'http://unitsofmeasure.org',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  obsCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  v20074: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  documentCategory: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
  mrn: 'https://mayocarelink.example/fhir/sid/mrn',
  npi: 'http://hl7.org/fhir/sid/us-npi',
} as const;

export interface LabTest {
  code: string;
  display: string;
  /** UCUM code and the unit as people read it. */
  ucum: string;
  unit: string;
  low?: number;
  high?: number;
  /** A typical healthy value and its spread; patients shift these. */
  mean: number;
  sd: number;
  decimals: number;
}

const lab = (
  code: string,
  display: string,
  ucum: string,
  unit: string,
  low: number | undefined,
  high: number | undefined,
  mean: number,
  sd: number,
  decimals: number,
): LabTest => ({
  code,
  display,
  ucum,
  unit,
  ...(low !== undefined ? { low } : {}),
  ...(high !== undefined ? { high } : {}),
  mean,
  sd,
  decimals,
});

export const LABS = {
  glucose: lab('2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', 70, 99, 88, 7, 0),
  creatinine: lab('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', 0.6, 1.2, 0.9, 0.1, 2),
  egfr: lab(
    '33914-3',
    'Glomerular filtration rate/1.73 sq M.predicted',
    'mL/min/{1.73_m2}',
    'mL/min/1.73m²',
    60,
    undefined,
    95,
    8,
    0,
  ),
  sodium: lab('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', 'mmol/L', 136, 145, 140, 1.8, 0),
  potassium: lab('2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', 'mmol/L', 3.5, 5.1, 4.2, 0.3, 1),
  hba1c: lab('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', '%', 4.0, 5.6, 5.2, 0.2, 1),
  cholesterol: lab(
    '2093-3',
    'Cholesterol [Mass/volume] in Serum or Plasma',
    'mg/dL',
    'mg/dL',
    undefined,
    199,
    180,
    15,
    0,
  ),
  ldl: lab(
    '18262-6',
    'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay',
    'mg/dL',
    'mg/dL',
    undefined,
    99,
    95,
    12,
    0,
  ),
  hdl: lab('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', 40, undefined, 52, 6, 0),
  triglycerides: lab(
    '2571-8',
    'Triglyceride [Mass/volume] in Serum or Plasma',
    'mg/dL',
    'mg/dL',
    undefined,
    149,
    120,
    20,
    0,
  ),
  hemoglobin: lab('718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 'g/dL', 12.0, 16.0, 13.8, 0.7, 1),
  wbc: lab('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', '×10³/µL', 4.5, 11.0, 7.0, 1.2, 1),
  platelets: lab(
    '777-3',
    'Platelets [#/volume] in Blood by Automated count',
    '10*3/uL',
    '×10³/µL',
    150,
    400,
    260,
    40,
    0,
  ),
  tsh: lab('3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma', 'm[IU]/L', 'mIU/L', 0.4, 4.0, 1.8, 0.6, 2),
} satisfies Record<string, LabTest>;

export type LabName = keyof typeof LABS;

/** Panels a DiagnosticReport groups. */
export const PANELS: Record<string, { code: string; display: string; tests: LabName[] }> = {
  bmp: {
    code: '51990-0',
    display: 'Basic metabolic panel - Blood',
    tests: ['glucose', 'creatinine', 'egfr', 'sodium', 'potassium'],
  },
  lipid: {
    code: '57698-3',
    display: 'Lipid panel with direct LDL - Serum or Plasma',
    tests: ['cholesterol', 'ldl', 'hdl', 'triglycerides'],
  },
  cbc: { code: '58410-2', display: 'CBC panel - Blood by Automated count', tests: ['hemoglobin', 'wbc', 'platelets'] },
  a1c: { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', tests: ['hba1c'] },
  thyroid: { code: '3016-3', display: 'Thyrotropin [Units/volume] in Serum or Plasma', tests: ['tsh'] },
};

export interface Medicine {
  code: string;
  display: string;
  dosage: string;
  /** Units per fill and days it lasts. */
  quantity: number;
  unit: string;
  days: number;
}

export const MEDICINES = {
  albuterol: {
    code: '745679',
    display: '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler',
    dosage: 'Inhale 2 puffs every 4 to 6 hours as needed for wheezing',
    quantity: 1,
    unit: 'inhaler',
    days: 30,
  },
  amoxicillin: {
    code: '308182',
    display: 'amoxicillin 250 MG Oral Capsule',
    dosage: 'Take 1 capsule by mouth 3 times a day for 10 days',
    quantity: 30,
    unit: 'capsule',
    days: 10,
  },
  lisinopril: {
    code: '314076',
    display: 'lisinopril 10 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth once a day',
    quantity: 90,
    unit: 'tablet',
    days: 90,
  },
  hydrochlorothiazide: {
    code: '310798',
    display: 'hydrochlorothiazide 25 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth every morning',
    quantity: 90,
    unit: 'tablet',
    days: 90,
  },
  atorvastatin: {
    code: '617310',
    display: 'atorvastatin 20 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth at bedtime',
    quantity: 90,
    unit: 'tablet',
    days: 90,
  },
  metformin: {
    code: '860975',
    display: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet',
    dosage: 'Take 2 tablets by mouth with the evening meal',
    quantity: 180,
    unit: 'tablet',
    days: 90,
  },
  glipizide: {
    code: '310489',
    display: 'glipizide 5 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth before breakfast',
    quantity: 90,
    unit: 'tablet',
    days: 90,
  },
  acetaminophen: {
    code: '198440',
    display: 'acetaminophen 500 MG Oral Tablet',
    dosage: 'Take 1 to 2 tablets by mouth every 6 hours as needed for knee pain; no more than 6 tablets a day',
    quantity: 100,
    unit: 'tablet',
    days: 30,
  },
  cetirizine: {
    code: '1014678',
    display: 'cetirizine hydrochloride 10 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth once a day during allergy season',
    quantity: 30,
    unit: 'tablet',
    days: 30,
  },
} satisfies Record<string, Medicine>;

export type MedicineName = keyof typeof MEDICINES;

export const snomed = (code: string, display: string): Coding => ({ system: SYSTEM.snomed, code, display });

export const CONDITIONS = {
  asthma: snomed('426979002', 'Mild persistent asthma'),
  otitis: snomed('65363002', 'Otitis media'),
  hypertension: snomed('59621000', 'Essential hypertension'),
  hyperlipidemia: snomed('55822004', 'Hyperlipidemia'),
  diabetes: snomed('44054006', 'Diabetes mellitus type 2'),
  ckd3: snomed('433144002', 'Chronic kidney disease stage 3'),
  osteoarthritis: snomed('239873007', 'Osteoarthritis of knee'),
  rhinitis: snomed('444908001', 'Seasonal allergic rhinitis'),
} satisfies Record<string, Coding>;

export type ConditionName = keyof typeof CONDITIONS;

export const ALLERGIES = {
  peanut: {
    code: snomed('91935009', 'Allergy to peanuts'),
    category: 'food',
    criticality: 'high',
    reaction: snomed('39579001', 'Anaphylaxis'),
    severity: 'severe',
  },
  penicillin: {
    code: snomed('91936005', 'Allergy to penicillin'),
    category: 'medication',
    criticality: 'high',
    reaction: snomed('271807003', 'Skin rash'),
    severity: 'moderate',
  },
  sulfonamide: {
    code: snomed('294505008', 'Allergy to sulfonamide'),
    category: 'medication',
    criticality: 'low',
    reaction: snomed('247472004', 'Hives'),
    severity: 'mild',
  },
  latex: {
    code: snomed('300916003', 'Latex allergy'),
    category: 'environment',
    criticality: 'low',
    reaction: snomed('418290006', 'Itching'),
    severity: 'mild',
  },
  cat: {
    code: snomed('232347008', 'Dander (animal) allergy'),
    category: 'environment',
    criticality: 'low',
    reaction: snomed('49727002', 'Cough'),
    severity: 'mild',
  },
} as const;

export type AllergyName = keyof typeof ALLERGIES;

export const VACCINES = {
  hepB: { code: '08', display: 'Hep B, adolescent or pediatric' },
  dtap: { code: '20', display: 'DTaP' },
  ipv: { code: '10', display: 'IPV' },
  hib: { code: '49', display: 'Hib (PRP-OMP)' },
  pcv13: { code: '133', display: 'Pneumococcal conjugate PCV 13' },
  mmr: { code: '03', display: 'MMR' },
  varicella: { code: '21', display: 'varicella' },
  hepA: { code: '83', display: 'Hep A, ped/adol, 2 dose' },
  flu: { code: '141', display: 'Influenza, seasonal, injectable' },
  tdap: { code: '115', display: 'Tdap' },
  ppsv23: { code: '33', display: 'pneumococcal polysaccharide PPV23' },
  zoster: { code: '187', display: 'zoster recombinant' },
  covid: {
    code: '300',
    display: 'SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 50 mcg/0.5mL dose',
  },
} as const;

export type VaccineName = keyof typeof VACCINES;

/** How a visit note names each test. */
export const LAB_NAMES: Record<LabName, string> = {
  glucose: 'glucose',
  creatinine: 'creatinine',
  egfr: 'eGFR',
  sodium: 'sodium',
  potassium: 'potassium',
  hba1c: 'A1c',
  cholesterol: 'total cholesterol',
  ldl: 'LDL',
  hdl: 'HDL',
  triglycerides: 'triglycerides',
  hemoglobin: 'hemoglobin',
  wbc: 'white cells',
  platelets: 'platelets',
  tsh: 'TSH',
};
