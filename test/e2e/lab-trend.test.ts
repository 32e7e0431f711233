import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  launchBrowser,
  runCli,
  signInPatient,
  signUpWithActivationCode,
  startServer,
  type RunningServer,
} from './harness.js';

const PASSWORD = 'a kettle on the stove at dawn';
// A demo patient (server/fhir/demo) with lipid panels at every visit: LDL has a history and a reference range.
const DEMO_PATIENT = 'demo-daniel-okafor';
const LDL = 'http://loinc.org|18262-6';
// An image from an origin the policy refuses: a violation we cause on purpose, to know reports get through.
const SENTINEL = 'https://csp-sentinel.invalid/pixel.png';

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

/** The `csp violation` lines the server logged (routes/csp-reports.ts) since `from` characters of its output. */
function serverReports(server: RunningServer, from: number): { directive?: string; blocked?: string }[] {
  return server
    .output()
    .slice(from)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; directive?: string; blocked?: string })
    .filter((entry) => entry.msg === 'csp violation');
}

describe("a lab test's trend page under the real server's Content-Security-Policy", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startServer(); // loads the demo clinic
    const exported = await runCli(server.dataDir, ['export', DEMO_PATIENT]);
    assert.equal(exported.code, 0, exported.stderr);
    const bundle = JSON.parse(exported.stdout) as {
      entry: { resource: { resourceType: string; birthDate?: string } }[];
    };
    const birthDate = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource.birthDate!;
    await signUpWithActivationCode(server, DEMO_PATIENT, birthDate, 'daniel', PASSWORD);
    browser = await launchBrowser();
    // No bypassCSP: the page runs under the policy the server sends.
    const context = await browser.newContext();
    await context.addInitScript(() => {
      const seen: Violation[] = [];
      (window as unknown as { cspViolations: Violation[] }).cspViolations = seen;
      // Capture: the event is fired at the offending element, which may be inside a shadow root.
      document.addEventListener(
        'securitypolicyviolation',
        (e) => seen.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }),
        true,
      );
    });
    page = await context.newPage();
    await signInPatient(page, server.origin, 'daniel', PASSWORD);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws the chart with no securitypolicyviolation in the page and no report at the server', async () => {
    const from = server.output().length;
    await page.goto(`${server.origin}/records/test?code=${encodeURIComponent(LDL)}`);
    const trend = page.locator('mcl-test-history-page');
    await trend.locator('svg[role="img"]').waitFor();
    await trend.locator('tbody tr').first().waitFor();
    // The sentinel's report is sent after any the page caused while rendering; once it is in, those would be too.
    await page.evaluate((src) => {
      new Image().src = src;
    }, SENTINEL);
    const deadline = Date.now() + 10_000;
    while (!serverReports(server, from).some((r) => r.directive === 'img-src')) {
      assert.ok(
        Date.now() < deadline,
        `the sentinel's report never reached the server: ${server.output().slice(from)}`,
      );
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    const inPage = await page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations);
    assert.deepEqual(
      {
        inPage: inPage.filter((v) => v.blocked !== SENTINEL),
        atServer: serverReports(server, from).filter((r) => r.directive !== 'img-src'),
      },
      { inPage: [], atServer: [] },
      'securitypolicyviolation events on the trend page, and the CSP reports the server received from it',
    );
  });
});
