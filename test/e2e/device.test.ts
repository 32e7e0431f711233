import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
  launchBrowser,
  patientAccount,
  signInPatient,
  startServer,
  type RunningServer,
} from './harness.js';

const shared = join(process.cwd(), '..', 'shared', 'fhir', 'patients');
const bundleFile = join(
  shared,
  readdirSync(shared).find((f) => f.startsWith('Reyna_Ziemann'))!,
);
const PASSWORD = 'sunlight over the northern hills';

describe('this device: space used, and a record the browser evicted comes back', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startServer();
    await patientAccount(server, bundleFile, 'reyna', PASSWORD);
    browser = await launchBrowser();
    page = await (await browser.newContext({ bypassCSP: true })).newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows on Account how much space the app and record use, and offers to keep them', async () => {
    await signInPatient(page, server.origin, 'reyna', PASSWORD);
    await page.locator('mcl-app nav a', { hasText: 'Account' }).click();
    const panel = page.locator('mcl-device-panel');
    await panel.getByText(/The app and your encrypted record use about [\d.]+ (KB|MB)/).waitFor();
    assert.ok(
      (await panel.getByRole('button', { name: 'Keep my record on this device' }).count()) +
        (await panel.getByText('keeps them even when space runs low').count()) ===
        1,
    );
    assert.deepEqual(await axeViolations(page), [], 'account with this device');
  });

  it('notices when the browser has removed the local record, says so, and downloads it again', async () => {
    await page.goto(server.origin + '/');
    await page.locator('mcl-dashboard [role="status"]', { hasText: 'Up to date as of' }).waitFor({ timeout: 30_000 });
    // Storage pressure: the browser deletes the site's IndexedDB (open connections close on request).
    const deleted = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const request = indexedDB.deleteDatabase('mcl-vault');
          request.onsuccess = () => resolve('deleted');
          request.onerror = () => resolve('error');
          request.onblocked = () => setTimeout(() => resolve('blocked'), 5000);
        }),
    );
    assert.equal(deleted, 'deleted');
    await page.reload();
    const status = page.locator('mcl-dashboard [role="status"]', {
      hasText: 'Your browser removed the copy of your record from this device to free space.',
    });
    await status.waitFor({ timeout: 30_000 });
    await page
      .locator('mcl-dashboard [role="status"]', { hasText: 'It has been downloaded again.' })
      .waitFor({ timeout: 30_000 });
    await page.locator('mcl-dashboard li', { hasText: /Medications: \d+ current/ }).waitFor();
  });
});
