// `npm test`: every stage, in order: typecheck, lint (prettier --check, eslint, the layer rule's self-test), build,
// server tests (node:test, in-process), element tests (web-test-runner in Chromium), end-to-end journeys
// (playwright-core + Chromium against the built server).
// Ends with one plain line `N passed, N failed` over all stages, and exits non-zero on any failure.
//
// Options: --only=typecheck,lint,server,browser,e2e   run some stages;   --filter=text   only test files whose path has it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNodeTests, runTestFiles } from './node-tests.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const only = argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const filter = argv.find((a) => a.startsWith('--filter='))?.slice(9);
const wanted = (stage) => !only || only.includes(stage);

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...env },
    });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = [];
const stage = async (name, work) => {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  let result;
  try {
    result = await work();
  } catch (error) {
    console.error(error);
    result = { passed: 0, failed: 1 };
  }
  console.log(
    `--- ${name}: ${result.passed} passed, ${result.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)${result.note ? ` — ${result.note}` : ''}`,
  );
  results.push({ name, ...result });
};
const check = async (command, args, env) =>
  (await run(command, args, env)) === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };

mkdirSync(join(root, '.build'), { recursive: true });

if (wanted('typecheck')) {
  await stage('typecheck (app and server)', () => check(bin('tsc'), ['-p', 'tsconfig.json']));
  await stage('typecheck (service worker)', () => check(bin('tsc'), ['-p', 'sw/tsconfig.json']));
}
if (wanted('lint')) {
  await stage('format (prettier --check)', () => check(bin('prettier'), ['--check', '.']));
  await stage('lint (eslint)', () => check(bin('eslint'), ['.']));
  await stage('lint rule self-test', () =>
    runTestFiles({ root, name: 'lint', files: ['scripts/lint.test.mjs'], concurrency: 1 }),
  );
}
if (wanted('e2e') || wanted('build')) {
  await stage('build', () => check(process.execPath, ['scripts/build.mjs']));
}
if (wanted('server')) {
  await stage('server tests', () =>
    runNodeTests({ root, name: 'server', dirs: ['server', 'common'], concurrency: 2, filter }),
  );
}
if (wanted('browser')) {
  await stage('element tests (Chromium)', async () => {
    const summary = join(root, '.build', 'wtr-summary.json');
    rmSync(summary, { force: true });
    const args = [
      '--config',
      'web-test-runner.config.mjs',
      // The path has it: in a file's name, or in a folder's (`--filter=records` runs client/features/records/).
      ...(filter ? ['--files', `client/**/*${filter}*.test.ts`, `client/**/*${filter}*/**/*.test.ts`] : []),
    ];
    const code = await run(bin('web-test-runner'), args, { WTR_SUMMARY_FILE: summary });
    const counts = existsSync(summary) ? JSON.parse(readFileSync(summary, 'utf8')) : { passed: 0, failed: 0 };
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    return counts;
  });
}
if (wanted('e2e')) {
  await stage('end-to-end journeys (Chromium)', () =>
    runNodeTests({ root, name: 'e2e', dirs: ['test/e2e'], concurrency: 1, filter }),
  );
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log('\nStages:');
for (const r of results)
  console.log(`  ${r.failed ? 'FAIL' : 'ok  '} ${r.name}: ${r.passed} passed, ${r.failed} failed`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
