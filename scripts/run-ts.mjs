// Runs one TypeScript entry point on Node 20 (which cannot run .ts itself): bundles it with esbuild, dependencies
// external, into .build/run/, then imports it with the remaining arguments. Used by `npm run cli` and the benchmarks.
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { nodeBundle } from './esbuild-node.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args…]');
  process.exit(2);
}
const outdir = join(root, '.build', 'run');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, basename(entry).replace(/\.ts$/, '.mjs'));
await esbuild.build(nodeBundle(root, { entryPoints: [entry], outfile }));
process.argv = [process.argv[0], outfile, ...rest];
await import(pathToFileURL(outfile).href);
