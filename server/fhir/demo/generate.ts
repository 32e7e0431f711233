import type { Bundle, CareTeam, FhirResource, Observation, Organization, Patient, Practitioner } from 'fhir/r4';
import { LAB_NAMES, LABS, PANELS, SYSTEM, type LabName } from './catalog.js';
import { CLINICIANS, ORGANIZATION, PATIENTS, type PatientPlan } from './patients.js';
import { createRandom } from './random.js';
import * as build from './records.js';

export interface DemoOptions {
  /** The same seed and day give byte-for-byte the same bundle. */
  seed: number | string;
  /** The "today" of the record: visits and results lead up to it. */
  asOf: Date;
}

export interface DemoPatientSummary {
  id: string;
  name: string;
  /** Medical record number (Patient.identifier). */
  mrn: string;
  /** Day (YYYY-MM-DD) of the latest visit: with the MRN, birth date and family name it proves who a patient is. */
  lastVisit: string;
  gender: string;
  birthDate: string;
  age: number;
  resources: number;
}

export interface DemoClinic {
  bundle: Bundle;
  patients: DemoPatientSummary[];
}

const transaction = (resources: FhirResource[]): Bundle => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: resources.map((resource) => ({
    resource,
    request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
  })),
});

const name = (c: { prefix: string; given: string; family: string; suffix: string }) =>
  `${c.prefix ? `${c.prefix} ` : ''}${c.given} ${c.family}${c.suffix ? `, ${c.suffix}` : ''}`;

/** The demo clinic: an Organization, three clinicians, and four patients of different ages with a few years of care. */
export function generateDemoClinic(options: DemoOptions): DemoClinic {
  const organization: Organization = {
    resourceType: 'Organization',
    id: ORGANIZATION.id,
    active: true,
    type: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/organization-type',
            code: 'prov',
            display: 'Healthcare Provider',
          },
        ],
      },
    ],
    name: ORGANIZATION.name,
    telecom: [{ system: 'phone', value: ORGANIZATION.phone, use: 'work' }],
    address: [{ line: ['200 First Street SW'], city: 'Rochester', state: 'MN', postalCode: '55905', country: 'US' }],
  };
  const practitioners: Practitioner[] = Object.values(CLINICIANS).map((c) => ({
    resourceType: 'Practitioner',
    id: c.id,
    identifier: [{ system: SYSTEM.npi, value: c.npi }],
    active: true,
    name: [
      {
        use: 'official',
        family: c.family,
        given: [c.given],
        ...(c.prefix ? { prefix: [c.prefix] } : {}),
        ...(c.suffix ? { suffix: [c.suffix] } : {}),
      },
    ],
    telecom: [{ system: 'phone', value: ORGANIZATION.phone, use: 'work' }],
    gender: c.gender,
  }));
  const resources: FhirResource[] = [organization, ...practitioners];
  const patients: DemoPatientSummary[] = [];
  for (const plan of PATIENTS) {
    const record = patientRecord(plan, options);
    resources.push(...record.resources);
    patients.push(record.summary);
  }
  return { bundle: transaction(resources), patients };
}

function birthDateOf(plan: PatientPlan, asOf: Date): Date {
  const d = new Date(asOf);
  d.setUTCFullYear(d.getUTCFullYear() - plan.age);
  return build.daysBefore(d, plan.daysPastBirthday, 8);
}

function patientRecord(
  plan: PatientPlan,
  { seed, asOf }: DemoOptions,
): { resources: FhirResource[]; summary: DemoPatientSummary } {
  const random = createRandom(`${seed}:${plan.id}`);
  const ctx: build.RecordContext = { random, patientId: plan.id, organizationId: ORGANIZATION.id };
  const clinician = CLINICIANS[plan.clinician];
  const doctor = { id: clinician.id, name: name(clinician) };
  const birth = birthDateOf(plan, asOf);
  const patient: Patient = {
    resourceType: 'Patient',
    id: plan.id,
    identifier: [
      {
        use: 'usual',
        type: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' },
          ],
          text: 'Medical record number',
        },
        system: SYSTEM.mrn,
        value: plan.mrn,
      },
    ],
    active: true,
    name: [{ use: 'official', family: plan.family, given: [plan.given] }],
    telecom: [{ system: 'phone', value: plan.phone, use: 'mobile' }],
    gender: plan.gender,
    birthDate: build.date(birth),
    address: [
      {
        use: 'home',
        line: [`${random.int(100, 9899)} ${random.pick(['Elm', 'Maple', 'Oak', 'Cedar', 'Birch'])} Avenue`],
        city: plan.city,
        state: 'MN',
        postalCode: `559${random.int(0, 9)}${random.int(0, 9)}`,
        country: 'US',
      },
    ],
    generalPractitioner: [{ reference: `Practitioner/${clinician.id}`, display: doctor.name }],
    managingOrganization: { reference: `Organization/${ORGANIZATION.id}`, display: ORGANIZATION.name },
  };
  const careTeam: CareTeam = {
    resourceType: 'CareTeam',
    id: random.uuid(),
    status: 'active',
    name: `${plan.given} ${plan.family}'s care team`,
    subject: { reference: `Patient/${plan.id}` },
    participant: [...new Set([plan.clinician, 'liu' as const])].map((key) => ({
      role: [{ text: CLINICIANS[key].role }],
      member: { reference: `Practitioner/${CLINICIANS[key].id}`, display: name(CLINICIANS[key]) },
    })),
    managingOrganization: [{ reference: `Organization/${ORGANIZATION.id}` }],
  };
  const out: FhirResource[] = [patient, careTeam];

  const conditionIds = new Map<string, string>();
  for (const c of plan.conditions) {
    const resolved =
      c.resolvedYearsAgo !== undefined ? build.daysBefore(asOf, Math.round(c.resolvedYearsAgo * 365)) : undefined;
    const resource = build.condition(ctx, c.name, build.daysBefore(asOf, Math.round(c.yearsAgo * 365)), resolved);
    conditionIds.set(c.name, resource.id!);
    out.push(resource);
  }
  for (const a of plan.allergies) out.push(build.allergy(ctx, a, build.daysBefore(asOf, random.int(300, 2000))));

  const { count, everyDays } = plan.visits;
  const encounters: { id: string; when: Date }[] = [];
  for (let i = 0; i < count; i++) {
    const when = build.daysBefore(
      asOf,
      (count - 1 - i) * everyDays + 7 + random.int(0, 5),
      random.int(14, 21),
      random.pick([0, 15, 30, 45]),
    );
    const progress = count > 1 ? i / (count - 1) : 1;
    const encounter = build.visit(ctx, when, doctor, plan.visits.reason, plan.visits.wellChild === true);
    encounters.push({ id: encounter.id!, when });
    const vitals: string[] = [];
    const vital = (o: Observation, text: string) => {
      out.push(o);
      vitals.push(text);
    };
    const years = (when.getTime() - birth.getTime()) / (365.25 * 86_400_000);
    const weight =
      Math.round(
        (plan.bloodPressure ? plan.weightKg + random.normal(0, 1.2) : 8 + 2.1 * years + random.normal(0, 0.4)) * 10,
      ) / 10;
    if (plan.bloodPressure) {
      const [[s0, d0], [s1, d1]] = plan.bloodPressure;
      const systolic = Math.round(s0 + (s1 - s0) * progress + random.normal(0, 3));
      const diastolic = Math.round(d0 + (d1 - d0) * progress + random.normal(0, 2));
      vital(
        build.bloodPressure(ctx, systolic, diastolic, when, encounter.id!),
        `blood pressure ${systolic}/${diastolic} mmHg`,
      );
    } else {
      const height = Math.round((77 + 6.2 * years + random.normal(0, 0.5)) * 10) / 10;
      vital(
        build.vitalObservation(ctx, '8302-2', 'Body height', height, 'cm', 'cm', when, encounter.id!),
        `height ${height} cm`,
      );
    }
    vital(
      build.vitalObservation(ctx, '29463-7', 'Body weight', weight, 'kg', 'kg', when, encounter.id!),
      `weight ${weight} kg`,
    );

    const results: string[] = [];
    for (const { panel, every } of plan.panels) {
      if (i % every !== 0) continue;
      const drawn = new Date(when.getTime() + 15 * 60_000);
      const observations = PANELS[panel]!.tests.map((test: LabName) => {
        const t = LABS[test];
        const trend = plan.trends[test];
        const mean = trend ? trend[0] + (trend[1] - trend[0]) * progress : t.mean;
        const value = Math.max(0, Number(random.normal(mean, trend ? t.sd * 0.3 : t.sd * 0.6).toFixed(t.decimals)));
        const o = build.labObservation(ctx, t, value, drawn, encounter.id!);
        const flag = o.interpretation![0]!.coding![0]!.code;
        results.push(`${LAB_NAMES[test]} ${value} ${t.unit}${flag === 'H' ? ' (high)' : flag === 'L' ? ' (low)' : ''}`);
        return o;
      });
      out.push(...observations, build.labReport(ctx, panel, observations, drawn, encounter.id!));
    }
    const note = [
      `Visit note: ${plan.visits.reason}`,
      `Date: ${build.date(when)}`,
      `Patient: ${plan.given} ${plan.family}, ${Math.floor(years)} years (${plan.mrn})`,
      `Clinician: ${doctor.name}`,
      `Vital signs: ${vitals.join('; ')}.`,
      ...(results.length ? [`Results: ${results.join('; ')}.`] : []),
      `Assessment: ${plan.assessment}`,
      `Plan: ${plan.plan}`,
    ].join('\n');
    out.push(encounter, build.visitNote(ctx, encounter, doctor, note));
  }

  for (const order of plan.medicines) {
    const at = encounters[Math.min(order.visit, encounters.length - 1)]!;
    out.push(
      build.medicationRequest(ctx, order, at.when, doctor, at.id, order.reason && conditionIds.get(order.reason)),
    );
  }
  for (const v of plan.vaccines) {
    const dates = [
      ...(v.ageDays ?? []).map((d) => new Date(birth.getTime() + d * 86_400_000)),
      ...(v.daysAgo ?? []).map((d) => build.daysBefore(asOf, d, random.int(14, 21))),
    ];
    for (const when of dates) if (when.getTime() <= asOf.getTime()) out.push(build.immunization(ctx, v.name, when));
  }
  const lastVisit = build.date(encounters.at(-1)!.when);
  const summary = {
    id: plan.id,
    name: `${plan.given} ${plan.family}`,
    mrn: plan.mrn,
    lastVisit,
    gender: plan.gender,
    birthDate: patient.birthDate!,
    age: plan.age,
    resources: out.length,
  };
  return { resources: out, summary };
}

export interface LargePatientOptions extends DemoOptions {
  observations: number;
  patientId?: string;
}

/** One patient with `observations` lab results, one every 2 hours back from `asOf`: data for benchmarks. */
export function generateLargePatient(options: LargePatientOptions): Bundle {
  const patientId = options.patientId ?? 'bench-patient';
  const random = createRandom(`${options.seed}:${patientId}`);
  const ctx: build.RecordContext = { random, patientId, organizationId: ORGANIZATION.id };
  const patient: Patient = {
    resourceType: 'Patient',
    id: patientId,
    name: [{ family: 'Benchmark', given: ['Large'] }],
    gender: 'unknown',
    birthDate: '1960-01-01',
  };
  const tests = Object.values(LABS);
  const resources: FhirResource[] = [patient];
  for (let i = 0; i < options.observations; i++) {
    const t = tests[i % tests.length]!;
    const when = new Date(options.asOf.getTime() - i * 2 * 3_600_000);
    resources.push(
      build.labObservation(ctx, t, Math.max(0, Number(random.normal(t.mean, t.sd * 1.5).toFixed(t.decimals))), when),
    );
  }
  return transaction(resources);
}
