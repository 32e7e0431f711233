import { writeFileSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromiumLaunchOptions } from './scripts/chromium.mjs';

/** Counts every test of the run and writes `{ passed, failed }` for the project's test driver to add up. */
function summaryReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      const walk = (suite) => {
        for (const test of suite.tests ?? []) {
          if (test.skipped) continue;
          test.passed ? passed++ : failed++;
        }
        for (const child of suite.suites ?? []) walk(child);
      };
      for (const session of sessions) {
        if (session.testResults) walk(session.testResults);
        // A file that failed to load has no results: count it as a failure, never as nothing.
        if (!session.passed && (!session.testResults || session.errors?.length)) failed++;
      }
      if (file) writeFileSync(file, JSON.stringify({ passed, failed }));
    },
  };
}

/**
 * Dexie's package entry for `import` is a wrapper around its UMD build, which a browser cannot import unbundled
 * (esbuild handles it in the real build). Element tests take Dexie's own ES module instead.
 */
const dexieModule = {
  name: 'dexie-esm',
  resolveImport({ source }) {
    if (source === 'dexie') return '/node_modules/dexie/dist/dexie.mjs';
  },
};

/**
 * The outbox's requests (client/record/outbox.ts) reach this test server: one whose body says "unreachable" gets a
 * 503 (the portal is struggling: the item waits), any other a 404 (a refusal, kept with its reason).
 */
const outboxApi = async (ctx, next) => {
  if (ctx.method !== 'POST' || !ctx.path.startsWith('/api/')) return next();
  let body = '';
  for await (const chunk of ctx.req) body += chunk;
  ctx.status = body.includes('"unreachable"') ? 503 : 404;
  ctx.body = '';
};

/** A real request the server never answers (until the page gives up): for the API client's time limit. */
const noAnswer = (ctx, next) =>
  ctx.path === '/__test/no-answer' ? new Promise((resolve) => ctx.req.on('close', resolve)) : next();

export default {
  files: ['client/**/*.test.ts'],
  nodeResolve: true,
  middleware: [noAnswer, outboxApi],
  concurrency: 1,
  browserStartTimeout: 60000,
  testsFinishTimeout: 120000,
  plugins: [dexieModule, esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: chromiumLaunchOptions })],
  reporters: [defaultReporter(), summaryReporter(process.env.WTR_SUMMARY_FILE)],
  testFramework: { config: { timeout: 5000 } },
};
