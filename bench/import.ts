// FHIR import throughput: resources per second for the largest bundle in ../shared/fhir, the largest patient bundle
// there, and a generated patient with 100,000 lab results, first import and re-import (nothing changed), on SQLite
// (a file in WAL mode with synchronous=FULL, as the server runs it) and on PostgreSQL when TEST_DATABASE_URL (or the
// local test server) answers. The schema validator is compiled before timing. Prints figures; asserts nothing.
//   node scripts/run-ts.mjs bench/import.ts [observations]
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { parseBundle, readBundleFile, type ParsedBundle } from '../server/fhir/bundle-input.js';
import { generateLargePatient } from '../server/fhir/demo/generate.js';
import { importBundle } from '../server/fhir/import.js';
import { fhirValidator } from '../server/fhir/validator.js';
import { openStore, type Store } from '../server/store/store.js';
import { TEST_DATABASE_URL } from '../server/testing/stores.js';

const observations = Number(process.argv[2] ?? 100_000);
const shared = join(process.cwd(), '..', 'shared', 'fhir');
const filesIn = (folder: string) =>
  readdirSync(join(shared, folder))
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(shared, folder, f));
const bySize = (files: string[]) => [...files].sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
const largest = bySize([...filesIn('support'), ...filesIn('patients'), ...filesIn('ips')]);
const largestPatient = bySize(filesIn('patients'));

fhirValidator().validate({ resourceType: 'Observation' }); // compile once, outside the timings
const sets: { name: string; bundle: ParsedBundle }[] = [
  {
    name: `${basename(largest)} (${(statSync(largest).size / 1e6).toFixed(1)} MB)`,
    bundle: await readBundleFile(largest),
  },
  {
    name: `${basename(largestPatient)} (${(statSync(largestPatient).size / 1e6).toFixed(1)} MB)`,
    bundle: await readBundleFile(largestPatient),
  },
  {
    name: `generated patient, ${observations.toLocaleString('en')} observations`,
    bundle: parseBundle(generateLargePatient({ seed: 1, asOf: new Date('2026-11-25T00:00:00Z'), observations })),
  },
];

async function run(label: string, store: Store): Promise<void> {
  for (const { name, bundle } of sets) {
    for (const pass of ['first import', 're-import']) {
      const started = performance.now();
      const report = await importBundle(store, bundle, { now: new Date() });
      const seconds = (performance.now() - started) / 1000;
      const n = bundle.entries.length;
      const written = `${report.created} new, ${report.updated} changed, ${report.unchanged} unchanged, ${report.rejected.length} rejected`;
      console.log(
        `${label.padEnd(10)} ${name.padEnd(64)} ${pass.padEnd(12)} ${String(n).padStart(7)} resources ${seconds.toFixed(2).padStart(7)} s ${Math.round(
          n / seconds,
        )
          .toLocaleString('en')
          .padStart(8)} /s  (${written})`,
      );
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), 'mcl-bench-import-'));
const sqlite = await openStore(join(dir, 'bench.sqlite'));
try {
  await run('sqlite', sqlite);
} finally {
  await sqlite.close();
  rmSync(dir, { recursive: true, force: true });
}

const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
try {
  await admin.connect();
} catch (error) {
  console.log(`postgres   skipped: ${TEST_DATABASE_URL} does not answer (${(error as Error).message})`);
  process.exit(0);
}
const schema = `bench_${process.pid}`;
await admin.query(`create schema ${schema}`);
try {
  const store = await openStore(TEST_DATABASE_URL, { schema });
  try {
    await run('postgres', store);
  } finally {
    await store.close();
  }
} finally {
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
}
