import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness.js';

describe('a new version is offered, never forced', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    server = await startServer({ copyPublic: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('waits for the person to choose "Reload now", then runs the new version', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.origin + '/help');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    const firstWorker = await page.evaluate(
      async () => (await navigator.serviceWorker.getRegistration())!.active!.scriptURL,
    );

    // Publish a new version: the service worker script changes (as a rebuild changes its precache manifest).
    const sw = join(server.publicDir, 'sw.js');
    appendFileSync(sw, '\n// next release\n');
    rmSync(sw + '.br');
    rmSync(sw + '.gz');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());

    const prompt = page.locator('mcl-update-prompt .prompt');
    await prompt.waitFor({ timeout: 20_000 });
    assert.match(await prompt.innerText(), /A new version of the portal is ready/);
    // Not forced: the old worker still controls the page while the new one waits.
    const waiting = await page.evaluate(async () => {
      const reg = (await navigator.serviceWorker.getRegistration())!;
      return { waiting: reg.waiting?.state ?? null, controller: navigator.serviceWorker.controller?.state ?? null };
    });
    assert.deepEqual(waiting, { waiting: 'installed', controller: 'activated' });

    await Promise.all([
      page.waitForEvent('load'),
      page.locator('mcl-update-prompt button', { hasText: 'Reload now' }).click(),
    ]);
    await page.locator('mcl-help-page h1').waitFor();
    const after = await page.evaluate(async () => {
      const reg = (await navigator.serviceWorker.getRegistration())!;
      return { waiting: reg.waiting, controlled: navigator.serviceWorker.controller !== null };
    });
    assert.deepEqual(after, { waiting: null, controlled: true });
    assert.equal(await page.locator('mcl-update-prompt .prompt').count(), 0);
    const swText = await (await fetch(server.origin + '/sw.js')).text();
    assert.ok(swText.endsWith('// next release\n'));
    assert.equal(firstWorker, server.origin + '/sw.js');
    await context.close();
  });
});
