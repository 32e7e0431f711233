import type { AllergyName, ConditionName, LabName, VaccineName } from './catalog.js';
import type { MedicineOrder } from './records.js';

/** The demo clinic's people. Names, numbers and addresses are fictional (phone numbers in the 555-01xx range). */
export const ORGANIZATION = { id: 'demo-clinic', name: 'Mayocarelink Demo Clinic', phone: '+1 507-555-0100' };

export const CLINICIANS = {
  park: {
    id: 'demo-dr-helen-park',
    given: 'Helen',
    family: 'Park',
    prefix: 'Dr.',
    suffix: 'MD',
    role: 'Family medicine physician',
    npi: '9990000011',
    gender: 'female',
  },
  reyes: {
    id: 'demo-dr-samuel-reyes',
    given: 'Samuel',
    family: 'Reyes',
    prefix: 'Dr.',
    suffix: 'MD',
    role: 'Pediatrician',
    npi: '9990000029',
    gender: 'male',
  },
  liu: {
    id: 'demo-np-grace-liu',
    given: 'Grace',
    family: 'Liu',
    prefix: '',
    suffix: 'NP',
    role: 'Nurse practitioner',
    npi: '9990000037',
    gender: 'female',
  },
} as const;

export type ClinicianName = keyof typeof CLINICIANS;

export interface PatientPlan {
  id: string;
  given: string;
  family: string;
  gender: 'female' | 'male';
  /** Age in whole years on the `asOf` day, and how many days past the last birthday. */
  age: number;
  daysPastBirthday: number;
  mrn: string;
  phone: string;
  city: string;
  clinician: ClinicianName;
  conditions: { name: ConditionName; yearsAgo: number; resolvedYearsAgo?: number }[];
  allergies: AllergyName[];
  /** Orders, each written at the visit with this index (0 = first visit). */
  medicines: (MedicineOrder & { visit: number })[];
  visits: { count: number; everyDays: number; reason: string; wellChild?: boolean };
  /** Panels drawn at visits: `every` = at every n-th visit, counting from the first. */
  panels: { panel: 'bmp' | 'lipid' | 'cbc' | 'a1c' | 'thyroid'; every: number }[];
  /** Where a lab's typical value starts and ends over the visits (otherwise the healthy mean). */
  trends: Partial<Record<LabName, [number, number]>>;
  /** Blood pressure at the first and last visit; children get height and weight instead. */
  bloodPressure?: [[number, number], [number, number]];
  weightKg: number;
  vaccines: { name: VaccineName; ageDays?: number[]; daysAgo?: number[] }[];
  /** One line for the visit note's assessment and plan. */
  assessment: string;
  plan: string;
}

export const PATIENTS: PatientPlan[] = [
  {
    id: 'demo-maya-alvarez',
    given: 'Maya',
    family: 'Alvarez',
    gender: 'female',
    // Ten, so the demo shows a guardian with everything (server/caregivers/demo-guardian.ts) until she is 12.
    age: 10,
    daysPastBirthday: 41,
    mrn: 'MRN-100101',
    phone: '+1 507-555-0111',
    city: 'Rochester',
    clinician: 'reyes',
    conditions: [
      { name: 'asthma', yearsAgo: 3 },
      { name: 'otitis', yearsAgo: 2, resolvedYearsAgo: 1.95 },
    ],
    allergies: ['peanut', 'cat'],
    medicines: [
      { name: 'albuterol', status: 'active', refills: 5, reason: 'asthma', visit: 0 },
      { name: 'amoxicillin', status: 'completed', refills: 0, reason: 'otitis', visit: 1 },
    ],
    visits: { count: 5, everyDays: 180, reason: 'Well-child check and asthma review', wellChild: true },
    panels: [{ panel: 'cbc', every: 4 }],
    trends: { hemoglobin: [12.4, 12.8] },
    weightKg: 32,
    vaccines: [
      { name: 'hepB', ageDays: [0, 35, 190] },
      { name: 'dtap', ageDays: [61, 122, 183, 470, 1500] },
      { name: 'ipv', ageDays: [61, 122, 190, 1500] },
      { name: 'hib', ageDays: [61, 122, 380] },
      { name: 'pcv13', ageDays: [61, 122, 183, 400] },
      { name: 'mmr', ageDays: [372, 1500] },
      { name: 'varicella', ageDays: [372, 1500] },
      { name: 'hepA', ageDays: [380, 560] },
      { name: 'flu', daysAgo: [40, 410, 775] },
    ],
    assessment:
      'Growing well. Asthma well controlled; uses the inhaler about once a month. Peanut allergy: carries epinephrine at school.',
    plan: 'Continue albuterol as needed. Asthma action plan reviewed with parent. Next well-child check in 6 months.',
  },
  {
    id: 'demo-daniel-okafor',
    given: 'Daniel',
    family: 'Okafor',
    gender: 'male',
    age: 44,
    daysPastBirthday: 203,
    mrn: 'MRN-100102',
    phone: '+1 507-555-0122',
    city: 'Byron',
    clinician: 'park',
    conditions: [
      { name: 'hypertension', yearsAgo: 4 },
      { name: 'hyperlipidemia', yearsAgo: 2.6 },
    ],
    allergies: ['penicillin'],
    medicines: [
      {
        name: 'hydrochlorothiazide',
        status: 'stopped',
        refills: 3,
        reason: 'hypertension',
        stopReason: 'Replaced by lisinopril: low potassium',
        visit: 0,
      },
      { name: 'lisinopril', status: 'active', refills: 3, reason: 'hypertension', visit: 1 },
      { name: 'atorvastatin', status: 'active', refills: 3, reason: 'hyperlipidemia', visit: 1 },
    ],
    visits: { count: 6, everyDays: 182, reason: 'Blood pressure and cholesterol follow-up' },
    panels: [
      { panel: 'lipid', every: 1 },
      { panel: 'bmp', every: 2 },
    ],
    trends: {
      ldl: [172, 108],
      cholesterol: [248, 188],
      triglycerides: [196, 146],
      hdl: [38, 45],
      potassium: [3.3, 4.3],
    },
    bloodPressure: [
      [152, 96],
      [131, 83],
    ],
    weightKg: 91,
    vaccines: [
      { name: 'flu', daysAgo: [30, 395, 760] },
      { name: 'tdap', daysAgo: [900] },
      { name: 'covid', daysAgo: [420] },
    ],
    assessment: 'Hypertension improving on lisinopril. LDL falling on atorvastatin but still above goal.',
    plan: 'Continue lisinopril 10 mg and atorvastatin 20 mg. Walk 30 minutes most days. Repeat lipid panel in 6 months.',
  },
  {
    id: 'demo-eleanor-whitfield',
    given: 'Eleanor',
    family: 'Whitfield',
    gender: 'female',
    age: 79,
    daysPastBirthday: 122,
    mrn: 'MRN-100103',
    phone: '+1 507-555-0133',
    city: 'Stewartville',
    clinician: 'park',
    conditions: [
      { name: 'diabetes', yearsAgo: 12 },
      { name: 'ckd3', yearsAgo: 3 },
      { name: 'osteoarthritis', yearsAgo: 8 },
    ],
    allergies: ['sulfonamide', 'latex'],
    medicines: [
      {
        name: 'glipizide',
        status: 'stopped',
        refills: 2,
        reason: 'diabetes',
        stopReason: 'Low blood sugar episodes',
        visit: 0,
      },
      { name: 'metformin', status: 'active', refills: 4, reason: 'diabetes', visit: 0 },
      { name: 'acetaminophen', status: 'active', refills: 2, reason: 'osteoarthritis', visit: 4 },
    ],
    visits: { count: 8, everyDays: 91, reason: 'Diabetes and kidney function review' },
    panels: [
      { panel: 'a1c', every: 1 },
      { panel: 'bmp', every: 1 },
      { panel: 'cbc', every: 4 },
    ],
    trends: {
      hba1c: [8.4, 7.3],
      glucose: [168, 136],
      creatinine: [1.42, 1.58],
      egfr: [44, 37],
      hemoglobin: [11.6, 11.2],
    },
    bloodPressure: [
      [138, 78],
      [134, 74],
    ],
    weightKg: 68,
    vaccines: [
      { name: 'flu', daysAgo: [25, 390, 755] },
      { name: 'ppsv23', daysAgo: [1400] },
      { name: 'zoster', daysAgo: [700, 640] },
      { name: 'covid', daysAgo: [200, 560] },
    ],
    assessment: 'Type 2 diabetes with A1c trending down. Kidney function mildly reduced and stable. Knee pain managed.',
    plan: 'Continue metformin; keep the dose because eGFR is above 30. Recheck A1c and kidney function in 3 months.',
  },
  {
    id: 'demo-priya-raman',
    given: 'Priya',
    family: 'Raman',
    gender: 'female',
    age: 31,
    daysPastBirthday: 12,
    mrn: 'MRN-100104',
    phone: '+1 507-555-0144',
    city: 'Rochester',
    clinician: 'liu',
    conditions: [{ name: 'rhinitis', yearsAgo: 6 }],
    allergies: [],
    medicines: [{ name: 'cetirizine', status: 'active', refills: 11, reason: 'rhinitis', visit: 1 }],
    visits: { count: 2, everyDays: 365, reason: 'Annual preventive visit' },
    panels: [
      { panel: 'cbc', every: 1 },
      { panel: 'thyroid', every: 2 },
    ],
    trends: {},
    bloodPressure: [
      [114, 72],
      [112, 70],
    ],
    weightKg: 61,
    vaccines: [
      { name: 'flu', daysAgo: [60, 420] },
      { name: 'tdap', daysAgo: [2100] },
    ],
    assessment: 'Healthy adult. Seasonal allergies controlled with cetirizine.',
    plan: 'Continue cetirizine in spring and autumn. Routine preventive care; next visit in one year.',
  },
];
