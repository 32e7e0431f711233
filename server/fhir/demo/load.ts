import { z } from 'zod';
import { getMeta, setMeta } from '../../store/meta.js';
import type { Store } from '../../store/store.js';
import { parseBundle } from '../bundle-input.js';
import { importBundle } from '../import.js';
import { generateDemoClinic, type DemoPatientSummary } from './generate.js';

/** app_meta key recording whether the demo clinic was loaded into this database, or skipped. */
export const DEMO_META_KEY = 'demo-data';
export const DEMO_SEED = 'mayocarelink-demo';

const record = z.union([
  z.object({
    status: z.literal('loaded'),
    asOf: z.string(),
    patients: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        mrn: z.string(),
        lastVisit: z.string(),
        gender: z.string(),
        birthDate: z.string(),
        age: z.number(),
        resources: z.number(),
      }),
    ),
  }),
  z.object({ status: z.literal('skipped'), reason: z.string() }),
]);

export type DemoState =
  { status: 'loaded-now' | 'loaded-before'; patients: DemoPatientSummary[] } | { status: 'skipped'; reason: string };

/**
 * Loads the demo clinic into an empty database, once. The decision is recorded in app_meta in the same transaction
 * as the data, so a restart (or a second instance starting at the same time) does not load it again: a database
 * that already holds FHIR resources is left alone, for good.
 */
export async function loadDemoOnce(store: Store, now: Date): Promise<DemoState> {
  const previous = await getMeta(store.db, DEMO_META_KEY);
  if (previous !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(previous);
    } catch {
      json = undefined;
    }
    const parsed = record.safeParse(json);
    if (!parsed.success) return { status: 'skipped', reason: 'the record of an earlier demo load is unreadable' };
    return parsed.data.status === 'loaded' ? { status: 'loaded-before', patients: parsed.data.patients } : parsed.data;
  }
  const any = await store.db.selectFrom('fhir_resource').select('id').limit(1).executeTakeFirst();
  if (any) {
    const reason = 'the database already held patient records when the server first started';
    await setMeta(store.db, DEMO_META_KEY, JSON.stringify({ status: 'skipped', reason }), now);
    return { status: 'skipped', reason };
  }
  const asOf = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const demo = generateDemoClinic({ seed: DEMO_SEED, asOf });
  await importBundle(store, parseBundle(demo.bundle), {
    now,
    afterWrite: async (trx, report) => {
      if (report.rejected.length) {
        const first = report.rejected[0]!;
        throw new Error(
          `the demo generator made an invalid entry ${first.index} (${first.resourceType}): ${first.path}: ${first.error}`,
        );
      }
      const value = JSON.stringify({ status: 'loaded', asOf: asOf.toISOString(), patients: demo.patients });
      await setMeta(trx, DEMO_META_KEY, value, now);
    },
  });
  return { status: 'loaded-now', patients: demo.patients };
}

/** What a newcomer reads on the console after the demo was loaded. */
export function demoLines(state: DemoState): string[] {
  if (state.status === 'skipped') return [];
  if (state.status === 'loaded-before') {
    return [`Demo patients in this database: ${state.patients.map((p) => `${p.name} (${p.id})`).join(', ')}`];
  }
  const width = Math.max(...state.patients.map((p) => p.name.length));
  return [
    'This is a new database, so a demo clinic was loaded into it (made-up people, safe to explore):',
    ...state.patients.map(
      (p) =>
        `  ${p.name.padEnd(width)}  born ${p.birthDate} (${String(p.age).padStart(2)} y)  ${p.mrn}  last visit ${p.lastVisit}  patient id ${p.id}`,
    ),
    'To try the portal, open it, choose Sign in → Create your account, and give one of them: the family name, date of',
    `birth, MRN and last visit date shown here (or an activation code: npm run cli -- activation-code ${state.patients[0]?.id ?? '<patient-id>'}).`,
    'Without SMTP_URL the confirmation mail is written to DATA_DIR/mail and its link is printed in the log.',
    `Export one as FHIR:  npm run cli -- export ${state.patients[0]?.id ?? '<patient-id>'}`,
    'To start without the demo, import real bundles into a new DATA_DIR before the first start (npm run cli -- import <file|folder>), or set DEMO_DATA=off.',
  ];
}
