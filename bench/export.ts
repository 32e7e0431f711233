// `npm run bench` (part), [4/11] "For another clinic": making the International Patient Summary (and the whole-record
// FHIR Bundle) of the largest shared patient, Margery Gibson, against plain JSON serialization of the same resources
// (JSON.stringify of the record as the device holds it), in the same run: the ratio says what the export's work
// (choosing the sections, following references, rewriting them to urn:uuid, the narrative) costs over writing the
// file at all. The same pure code runs in the page's export worker (client/record/export-worker.ts). Medians of 30
// runs after 5 to warm up. Prints figures; asserts nothing (benchmarks inform, tests decide).
//   node scripts/run-ts.mjs bench/export.ts
import { basename } from 'node:path';
import { ipsDocument } from '../common/fhir-export/ips.js';
import { patientBundle } from '../common/fhir-export/patient-bundle.js';
import { readJson, sharedFiles } from '../server/testing/fhir-data.js';
import { asStored } from '../server/testing/fhir-schema.js';

const file = sharedFiles('patients').find((f) => basename(f).startsWith('Margery_Gibson'))!;
const resources = asStored(readJson(file));
const seams = () => ({ now: new Date(), newId: () => crypto.randomUUID() });

function median(work: () => unknown, runs = 30, warm = 5): number {
  for (let i = 0; i < warm; i++) work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const size = { plain: 0, ips: 0, bundle: 0 };
const plain = median(() => (size.plain = JSON.stringify(resources).length));
const ips = median(() => (size.ips = JSON.stringify(ipsDocument(resources, seams())).length));
const ipsOnly = median(() => ipsDocument(resources, seams()));
const bundle = median(() => (size.bundle = JSON.stringify(patientBundle(resources, seams())).length));
const ms = (n: number) => `${n.toFixed(1)} ms`;
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

console.log(
  `export for another clinic, ${basename(file).split('_').slice(0, 2).join(' ')} (${resources.length} resources):`,
);
console.log(`  plain JSON.stringify of the resources (baseline)  ${ms(plain).padStart(9)}  ${mb(size.plain)}`);
console.log(
  `  IPS document, built and serialized                ${ms(ips).padStart(9)}  ${mb(size.ips)}  ${(ips / plain).toFixed(2)}x the baseline (building alone ${ms(ipsOnly)})`,
);
console.log(
  `  whole-record FHIR Bundle, built and serialized    ${ms(bundle).padStart(9)}  ${mb(size.bundle)}  ${(bundle / plain).toFixed(2)}x the baseline`,
);
