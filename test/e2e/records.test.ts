import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
  launchBrowser,
  patientAccount,
  runCli,
  signInPatient,
  startServer,
  type RunningServer,
} from './harness.js';

const shared = join(process.cwd(), '..', 'shared', 'fhir', 'patients');
const bundleFile = join(
  shared,
  readdirSync(shared).find((f) => f.startsWith('Margery_Gibson'))!,
);
type Json = Record<string, any>;
const resources = (JSON.parse(readFileSync(bundleFile, 'utf8')) as { entry: { resource: Json }[] }).entry.map(
  (e) => e.resource,
);
const ofType = (type: string) => resources.filter((r) => r.resourceType === type);
const PASSWORD = 'rain on the old stone bridge';

describe("a patient's record syncs into the encrypted local database and every view reads it", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startServer();
    await patientAccount(server, bundleFile, 'margery', PASSWORD);
    browser = await launchBrowser();
    page = await (await browser.newContext({ bypassCSP: true })).newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in, downloads the record, and the home page shows what is there', async () => {
    await signInPatient(page, server.origin, 'margery', PASSWORD);
    const dashboard = page.locator('mcl-dashboard');
    const active = ofType('MedicationRequest').filter((m) => m.status === 'active').length;
    await dashboard.locator('li', { hasText: `${active} current` }).waitFor();
    assert.match(
      await dashboard.locator('ul.items').innerText(),
      /nothing new/,
      'what came with the first download is not "new"',
    );
    assert.deepEqual(await axeViolations(page), [], 'home with dashboard');
  });

  it('refreshes quietly when the tab regains focus: with nothing new, one small request', async () => {
    const requests: string[] = [];
    const seen = (r: { url(): string }) =>
      void (new URL(r.url()).pathname.startsWith('/api/') && requests.push(new URL(r.url()).pathname));
    page.on('request', seen);
    await page.evaluate(() => dispatchEvent(new Event('focus')));
    await page.waitForTimeout(1500);
    page.off('request', seen);
    assert.deepEqual(requests, ['/api/records/feed']);
  });

  it('shows the overview with counts that match the bundle', async () => {
    await page.locator('mcl-app nav a', { hasText: 'Health record' }).click();
    const overview = page.locator('mcl-records-page');
    await overview.locator('ul.items').waitFor();
    const text = await overview.locator('ul.items').innerText();
    for (const [title, type] of [
      ['Test results', 'Observation'],
      ['Medications', 'MedicationRequest'],
      ['Visits', 'Encounter'],
      ['Immunizations', 'Immunization'],
      ['Health problems', 'Condition'],
      ['Procedures', 'Procedure'],
    ]) {
      assert.match(text, new RegExp(`${title} \\(${ofType(type!).length}[,)]`), title);
    }
    assert.deepEqual(await axeViolations(page), [], 'record overview');
  });

  it('lists her results by report with values, and a repeated test has a trend chart and a table', async () => {
    await page.locator('mcl-records-page a', { hasText: 'Test results' }).click();
    const results = page.locator('mcl-results-page');
    await results.locator('section.card').first().waitFor();
    assert.deepEqual(await axeViolations(page), [], 'results');
    // The most repeated numeric test of the bundle.
    const byCode = new Map<string, Json[]>();
    for (const o of ofType('Observation').filter((o) => o.valueQuantity)) {
      const key = `${o.code.coding[0].system}|${o.code.coding[0].code}`;
      byCode.set(key, [...(byCode.get(key) ?? []), o]);
    }
    const [code, history] = [...byCode.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    await page.goto(`${server.origin}/records/test?code=${encodeURIComponent(code)}`);
    const trend = page.locator('mcl-test-history-page');
    await trend.locator('svg[role="img"]').waitFor();
    assert.equal(await trend.locator('tbody tr').count(), history.length);
    assert.match(
      (await trend.locator('svg').getAttribute('aria-label'))!,
      new RegExp(`${history.length} results from`),
    );
    // Under a plain name; the coded one stays on the page with its code. Synthea sends no range: the clinic's is drawn.
    const coding = history[0]!.code.coding[0];
    assert.doesNotMatch(await trend.locator('h1').innerText(), /\[|^$/);
    assert.equal(
      await trend.locator('.technical').innerText(),
      `Technical name: ${coding.display} (LOINC ${coding.code})`,
    );
    assert.equal(await trend.locator('svg rect.band').count(), 1);
    assert.match(
      await trend.locator('figcaption').innerText(),
      /Shaded: Normal range: .*clinic's usual range for adults/,
    );
    assert.deepEqual(await axeViolations(page), [], 'test history');
  });

  it('shows her current medications with plain dosage, and her visits', async () => {
    await page.goto(`${server.origin}/records/medications`);
    const meds = page.locator('mcl-medications-page');
    const active = ofType('MedicationRequest').filter((m) => m.status === 'active');
    await meds.locator('h2', { hasText: `Taking now (${active.length})` }).waitFor();
    assert.ok(
      (await meds.locator('ul.items').first().innerText()).includes(
        active[0]!.medicationCodeableConcept.text ?? active[0]!.medicationCodeableConcept.coding[0].display,
      ),
    );
    assert.deepEqual(await axeViolations(page), [], 'medications');
    // A refill request goes through the outbox (Idempotency-Key) and comes back through the record as a Task.
    const name = active[0]!.medicationCodeableConcept.text ?? active[0]!.medicationCodeableConcept.coding[0].display;
    // Asked on Refills, which the medication links to with the prescription chosen.
    const link = meds
      .locator('li.card', { hasText: name })
      .first()
      .getByRole('link', { name: /^Request (refill|renewal):/ });
    const prescription = new URL((await link.getAttribute('href'))!, server.origin).searchParams.get('for')!;
    await link.click();
    const refills = page.locator('mcl-refills-page');
    assert.equal(await refills.getByLabel('Medication').inputValue(), prescription, 'the medication is chosen');
    await refills.locator('input[name="pharmacy"]').fill('Main Street Pharmacy');
    const posted = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/refills');
    await refills.getByRole('button', { name: 'Send request' }).click();
    assert.match((await posted).headers()['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/);
    const card = refills.locator('li.card', { hasText: name }).first();
    await card.locator('[role="status"]', { hasText: /requested on .*waiting for your care team/ }).waitFor();
    assert.equal(
      await refills.locator(`option[value="${prescription}"]`).count(),
      0,
      'no second request while one is open',
    );
    assert.deepEqual(await axeViolations(page), [], 'refills with a request');
    await page.goto(`${server.origin}/records/visits`);
    const visits = page.locator('mcl-visits-page');
    await visits.locator('li.card').first().waitFor();
    assert.equal(await visits.locator('li.card').count(), Math.min(25, ofType('Encounter').length));
    assert.deepEqual(await axeViolations(page), [], 'visits');
  });

  it('searches the record by words and kind', async () => {
    await page.goto(`${server.origin}/records/search`);
    const searchPage = page.locator('mcl-search-page');
    await searchPage.locator('#q').fill('glucose');
    await searchPage.locator('#type').selectOption('Observation');
    await searchPage.getByRole('button', { name: 'Search' }).click();
    const expected = ofType('Observation').filter((o) =>
      (o.code.text ?? o.code.coding[0].display).toLowerCase().includes('glucose'),
    ).length;
    assert.ok(expected > 0);
    await searchPage.locator('#hits', { hasText: `${expected} found` }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'search');
  });

  it('keeps no readable clinical text in IndexedDB', async () => {
    const dump = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('mcl-vault');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const out: string[] = [];
      for (const name of Array.from(db.objectStoreNames)) {
        const rows = await new Promise<unknown[]>((resolve) => {
          const req = db.transaction(name).objectStore(name).getAll();
          req.onsuccess = () => resolve(req.result);
        });
        for (const row of rows) {
          out.push(
            JSON.stringify(row, (_k, v) =>
              v instanceof ArrayBuffer || ArrayBuffer.isView(v)
                ? new TextDecoder('latin1').decode(v as ArrayBuffer)
                : v,
            ),
          );
        }
      }
      db.close();
      return { rows: out.length, text: out.join('\n') };
    });
    assert.ok(
      dump.rows >= resources.length - ofType('Claim').length - ofType('ExplanationOfBenefit').length - 10,
      `rows: ${dump.rows}`,
    );
    const patient = ofType('Patient')[0]!;
    const secrets = [
      patient.name[0].family,
      patient.birthDate,
      ofType('MedicationRequest')[0]!.medicationCodeableConcept.coding[0].display,
      ofType('Condition')[0]!.code.coding[0].display,
      ofType('Observation')[0]!.code.coding[0].display,
      ofType('Observation')[0]!.code.coding[0].code,
      'loinc.org',
      'snomed',
    ];
    for (const secret of secrets) assert.ok(!dump.text.includes(secret), `"${secret}" is readable in IndexedDB`);
  });

  it('"sign out and remove my data" wipes the local database', async () => {
    await page.goto(`${server.origin}/records`);
    await page
      .locator('mcl-records-page')
      .getByRole('button', { name: 'Sign out and remove my data from this device' })
      .click();
    await page.locator('mcl-sign-in-page').waitFor();
    const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    assert.deepEqual(names, []);
  });

  it('on a shared computer, signing out leaves nothing: no database, no caches, no cookies', async () => {
    const signIn = page.locator('mcl-sign-in-page');
    await signIn.locator('#login').fill('margery');
    await signIn.locator('#password').fill(PASSWORD);
    await signIn.locator('input[name="shared"]').check();
    await signIn.locator('form button[type="submit"]').click();
    const protect = page.locator('mcl-protect-page');
    await protect.locator('p', { hasText: 'You are on a shared computer, so no passkey is added here' }).waitFor();
    assert.equal(
      await protect.getByRole('button', { name: 'Add a passkey' }).count(),
      0,
      'no platform passkey on a shared computer',
    );
    await protect.getByRole('link', { name: 'Skip for now' }).click();
    await page.locator('mcl-dashboard [role="status"]', { hasText: 'Up to date as of' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)), ['mcl-vault']);
    await page.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
    await page.locator('mcl-sign-in-page [role="status"]', { hasText: 'removed from this device' }).waitFor();
    const left = await page.evaluate(async () => ({
      dbs: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
      shared: sessionStorage.length,
    }));
    assert.deepEqual(left, { dbs: [], caches: [], shared: 0 });
    assert.deepEqual(
      (await page.context().cookies()).map((c) => c.name),
      [],
    );
  });

  it("shows a visit's clinical note, decoded from the record, as text", async () => {
    // A newer-format Synthea patient with base64 clinical notes; her practitioners come from the support bundles.
    const supportDir = join(process.cwd(), '..', 'shared', 'fhir', 'support');
    const support = await runCli(server.dataDir, [
      'import',
      ...readdirSync(supportDir).map((f) => join(supportDir, f)),
    ]);
    assert.equal(support.code, 0, support.stderr);
    const file = join(
      shared,
      readdirSync(shared).find((f) => f.startsWith('Georgianne'))!,
    );
    await patientAccount(server, file, 'georgianne', PASSWORD);
    const notes = (JSON.parse(readFileSync(file, 'utf8')) as { entry: { resource: Json }[] }).entry
      .map((e) => e.resource)
      .filter((r) => r.resourceType === 'DocumentReference');
    const newest = notes.sort((a, b) => String(b.date).localeCompare(String(a.date)))[0]!;
    const text = Buffer.from(newest.content[0].attachment.data, 'base64').toString('utf8');
    const other = await (await browser.newContext()).newPage();
    await other.goto(server.origin + '/sign-in');
    await other.locator('mcl-sign-in-page #login').fill('georgianne');
    await other.locator('mcl-sign-in-page #password').fill(PASSWORD);
    await other.locator('mcl-sign-in-page form button[type="submit"]').click();
    await other.locator('mcl-protect-page').getByRole('link', { name: 'Skip for now' }).click();
    await other.locator('mcl-dashboard [role="status"]', { hasText: 'Up to date as of' }).waitFor({ timeout: 30_000 });
    await other.goto(server.origin + '/records/visits');
    const first = other.locator('mcl-visits-page li.card').first();
    await first.locator('summary').first().click();
    const shown = await first.locator('pre.note').first().innerText();
    assert.equal(shown.trim(), text.trim());
    await other.context().close();
  });
});
