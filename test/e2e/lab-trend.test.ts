import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
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
const LDL_LONG = 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay';
// An image from an origin the policy refuses: a violation we cause on purpose, to know reports get through.
const SENTINEL = 'https://csp-sentinel.invalid/pixel.png';

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

/** The `csp violation` lines the server logged (routes/csp-reports.ts) since `from` characters of its output. */
function serverReports(server: RunningServer, from: number): Record<string, unknown>[] {
  return server
    .output()
    .slice(from)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === 'csp violation');
}

/**
 * Opens `path` and waits for `ready`, then returns the CSP violations it caused: the `securitypolicyviolation`
 * events in the page (recorded by the context's init script) and the reports the server received. A sentinel
 * violation (an img-src one) is made once the page is drawn; its report is sent after any the page caused, so once
 * it is at the server the others would be too. The sentinel itself is left out of the answer.
 */
async function violationsOpening(page: Page, server: RunningServer, path: string, ready: () => Promise<void>) {
  const from = server.output().length;
  await page.goto(server.origin + path);
  await ready();
  await page.evaluate((src) => {
    new Image().src = src;
  }, SENTINEL);
  const deadline = Date.now() + 10_000;
  while (!serverReports(server, from).some((r) => r.directive === 'img-src')) {
    assert.ok(Date.now() < deadline, `the sentinel's report never reached the server: ${server.output().slice(from)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 500));
  const inPage = await page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations);
  return {
    inPage: inPage.filter((v) => v.blocked !== SENTINEL),
    atServer: serverReports(server, from).filter((r) => r.directive !== 'img-src'),
  };
}

describe("a demo patient's lab results and trend, under the real server's Content-Security-Policy", () => {
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

  it('lists results under plain names, with no CSP violation', async () => {
    const results = page.locator('mcl-results-page');
    const violations = await violationsOpening(page, server, '/records/results', () =>
      results.locator('section.card').first().waitFor(),
    );
    assert.deepEqual(violations, { inPage: [], atServer: [] });
    const names = await results.locator('tbody th a').allInnerTexts();
    assert.ok(names.includes('LDL cholesterol ("bad" cholesterol)'), names.join(', '));
    assert.deepEqual(
      names.filter((n) => n.includes('[')),
      [],
      'no LOINC long names in the list',
    );
  });

  it("draws the LDL trend with the lab's range as a band, with no securitypolicyviolation and no report", async () => {
    const trend = page.locator('mcl-test-history-page');
    const violations = await violationsOpening(page, server, `/records/test?code=${encodeURIComponent(LDL)}`, () =>
      trend.locator('svg[role="img"]').waitFor(),
    );
    assert.deepEqual(
      violations,
      { inPage: [], atServer: [] },
      'securitypolicyviolation events on the trend page, and the CSP reports the server received from it',
    );
    assert.equal(await trend.locator('h1').innerText(), 'LDL cholesterol ("bad" cholesterol)');
    assert.equal(await trend.locator('.technical').innerText(), `Technical name: ${LDL_LONG} (LOINC 18262-6)`);
    assert.equal(await trend.locator('svg rect.band').count(), 1);
    const label = (await trend.locator('svg[role="img"]').getAttribute('aria-label'))!;
    assert.match(label, /Shaded band: Normal range: up to 99 mg\/dL \(the lab's range\)\./);
    assert.match(await trend.locator('figcaption').innerText(), /Shaded: Normal range: up to 99 mg\/dL/);
  });

  it('passes axe (in a context that lets axe in)', async () => {
    const other = await (await browser.newContext({ bypassCSP: true })).newPage();
    await signInPatient(other, server.origin, 'daniel', PASSWORD);
    await other.goto(`${server.origin}/records/test?code=${encodeURIComponent(LDL)}`);
    await other.locator('mcl-test-history-page svg rect.band').waitFor();
    assert.deepEqual(await axeViolations(other), [], 'trend page');
    // By keyboard: Tab reaches the way back to all results, and Enter follows it.
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await other.keyboard.press('Tab');
      reached = await other.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.tagName === 'A' && (el.textContent ?? '').includes('All test results');
      });
    }
    assert.ok(reached, 'Tab reaches "All test results"');
    await other.keyboard.press('Enter');
    await other.locator('mcl-results-page section.card').first().waitFor();
    await other.context().close();
  });
});
