import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
  enrolStaff,
  launchBrowser,
  patientAccount,
  runCli,
  startServer,
  type RunningServer,
  virtualAuthenticator,
} from './harness.js';

const shared = join(process.cwd(), '..', 'shared', 'fhir', 'patients');
const bundleFile = join(
  shared,
  readdirSync(shared).find((f) => f.startsWith('Reyna_Ziemann'))!,
);
const active = (JSON.parse(readFileSync(bundleFile, 'utf8')) as { entry: { resource: Record<string, any> }[] }).entry
  .map((e) => e.resource)
  .filter((r) => r.resourceType === 'MedicationRequest' && r.status === 'active');
const PASSWORD = 'sunlight over the northern hills';
const STAFF_PASSWORD = 'listen twice and speak once';

describe('a clinician sets up a staff account with a passkey and decides a refill request', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let patientCookie: string;
  let patientId: string;

  before(async () => {
    server = await startServer();
    ({ patientId } = await patientAccount(server, bundleFile, 'reyna', PASSWORD));
    // The patient asks for a refill (as her app's outbox does).
    const headers = { 'Content-Type': 'application/json', Origin: server.origin, 'X-Requested-With': 'mayocarelink' };
    const signIn = await fetch(`${server.origin}/api/session`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ login: 'reyna', password: PASSWORD }),
    });
    const cookie = (patientCookie = signIn.headers.get('set-cookie')!.split(';')[0]!);
    const asked = await fetch(`${server.origin}/api/refills`, {
      method: 'POST',
      headers: { ...headers, Cookie: cookie, 'Idempotency-Key': 'e2e-refill-0001' },
      body: JSON.stringify({
        medicationRequestId: active[0]!.id,
        pharmacy: 'Main Street Pharmacy',
        note: 'Running low',
      }),
    });
    assert.equal(asked.status, 201, await asked.text());
    browser = await launchBrowser();
    const context = await browser.newContext({ bypassCSP: true }); // bypassCSP only so axe can be injected
    page = await context.newPage();
    await virtualAuthenticator(page);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('follows the emailed set-up link, chooses a password, and must add a passkey before anything else', async () => {
    await enrolStaff(server, page, {
      email: 'dr.lee@clinic.example',
      name: 'Dr Ana Lee',
      role: 'clinician',
      username: 'ana.lee',
      password: STAFF_PASSWORD,
    });
    const session = await page.evaluate(() => fetch('/api/session').then((r) => r.json()));
    assert.equal(session.authLevel, 'passkey');
    assert.equal(session.account.role, 'clinician');
  });

  it('approves the refill request from the queue; the patient record holds the decision', async () => {
    await page.locator('mcl-app nav a', { hasText: 'Refill requests' }).click();
    const queue = page.locator('mcl-refill-queue-page');
    const item = queue.locator('li.card').first();
    await item.waitFor();
    assert.match(await item.innerText(), /Reyna/);
    assert.match(await item.innerText(), /Main Street Pharmacy/);
    assert.deepEqual(await axeViolations(page), [], 'refill queue');
    await item.getByRole('button', { name: /^Approve/ }).click();
    // The pharmacy is confirmed before approving: the patient's choice, ready to correct.
    const pharmacy = item.getByLabel(/Pharmacy the prescription goes to/);
    assert.equal(await pharmacy.inputValue(), 'Main Street Pharmacy');
    assert.deepEqual(await axeViolations(page), [], 'refill approval');
    await item.getByRole('button', { name: 'Confirm and approve' }).click();
    await queue.locator('[role="status"]', { hasText: 'approved, to Main Street Pharmacy' }).waitFor();
    await item.getByRole('button', { name: /^Mark ready/ }).waitFor();
    // What the patient's app will sync: the Task, now approved by Dr Lee.
    const feed = (await (
      await fetch(`${server.origin}/api/records/feed?patient=${patientId}&since=0&limit=1000`, {
        headers: { Cookie: patientCookie },
      })
    ).json()) as { changes: { type: string; resource?: Record<string, any> }[] };
    const task = feed.changes.filter((c) => c.type === 'Task').at(-1)!.resource!;
    assert.equal(task.status, 'accepted');
    assert.equal(task.owner.display, 'Dr Ana Lee');
    assert.equal(task.output[0].valueString, 'Main Street Pharmacy');
    const audit = await runCli(server.dataDir, ['audit', 'verify']);
    assert.equal(audit.code, 0, audit.stderr);
  });
});
