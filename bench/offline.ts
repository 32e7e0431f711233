// `npm run bench` (part), [8/8]: the offline traveller, in Chromium against the real built server, in one run.
//  1. Offline cold start: a new window of the app with no network, from navigation to the first records painted
//     (unlock with the device PIN, and with a passkey's PRF; the time the person spends typing or touching is not
//     counted), versus a static page of the same app (Help) served from the same service worker cache, opened the
//     same way. Median of 7 each.
//  2. 100 items written offline (messages, through the app), then the connection returns: the time until the
//     server has accepted the 100th, versus the page posting 100 messages directly (no outbox), in the same run.
// Prints figures and ratios; asserts nothing (benchmarks inform, tests decide).
//   node scripts/build.mjs && node scripts/run-ts.mjs bench/offline.ts
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import {
  keepOfflineWithPasskey,
  keepOfflineWithPin,
  launchBrowser,
  patientAccount,
  signInPatient,
  startServer,
  virtualAuthenticator,
  waitForController,
} from '../test/e2e/harness.js';

const shared = join(process.cwd(), '..', 'shared', 'fhir', 'patients');
const bundle = (name: string) =>
  join(
    shared,
    readdirSync(shared).find((f) => f.startsWith(name))!,
  );
const activeIn = (file: string) =>
  (JSON.parse(readFileSync(file, 'utf8')) as { entry: { resource: Record<string, unknown> }[] }).entry
    .map((e) => e.resource)
    .filter((r) => r.resourceType === 'MedicationRequest' && r.status === 'active').length;
// Two records of about the same size (232 and 208 resources): one phone opens with a PIN, the other with a passkey.
const bundleFile = bundle('Reyna_Ziemann');
const passkeyFile = bundle('Versie_Botsford');
const active = activeIn(bundleFile);
const PASSWORD = 'sunlight over the northern hills';
const PIN = '428613';
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 100);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${n.toFixed(0)} ms`;

const server = await startServer();
const browser = await launchBrowser();
try {
  await patientAccount(server, bundleFile, 'reyna', PASSWORD);
  const context: BrowserContext = await browser.newContext({ bypassCSP: true });
  // The PIN phone.
  const pinPage = await context.newPage();
  await signInPatient(pinPage, server.origin, 'reyna', PASSWORD);
  await waitForController(pinPage);
  await keepOfflineWithPin(pinPage, PIN);
  await pinPage.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
  await pinPage.locator('mcl-sign-in-page').waitFor();
  await pinPage.close();

  // The passkey phone: another patient, whose passkey's authenticator has PRF (a CDP virtual authenticator that
  // answers at once). The authenticator belongs to this one tab.
  await patientAccount(server, passkeyFile, 'versie', PASSWORD);
  const passkeyPhone = await browser.newContext({ bypassCSP: true });
  const page = await passkeyPhone.newPage();
  await virtualAuthenticator(page, { prf: true });
  await keepOfflineWithPasskey(page, server.origin, 'versie', PASSWORD);
  await page.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
  await page.locator('mcl-sign-in-page').waitFor();
  await passkeyPhone.setOffline(true);

  // 1. Offline cold start.
  await context.setOffline(true);
  const staticPage: number[] = [];
  const toUnlock: number[] = [];
  const toRecords: number[] = [];
  const byPasskey: number[] = [];
  const staticInTab: number[] = [];
  const pbkdf2: number[] = [];
  // Each moment is taken in the page (performance.now(), since the navigation started), checked on every frame.
  const shown = (page: Page, host: string, selector: string, text = '') =>
    page
      .waitForFunction(
        ([h, sel, t]) => {
          const find = (root: Document | ShadowRoot): Element | undefined => {
            for (const el of root.querySelectorAll('*')) {
              if (el.localName === h && el.shadowRoot) {
                const hit = [...el.shadowRoot.querySelectorAll(sel)].find((e) => e.textContent?.includes(t));
                if (hit) return hit;
              }
              if (el.shadowRoot) {
                const deeper = find(el.shadowRoot);
                if (deeper) return deeper;
              }
            }
            return undefined;
          };
          return find(document) ? performance.now() : false;
        },
        [host, selector, text] as const,
        { polling: 'raf', timeout: 30_000 },
      )
      .then((handle) => handle.jsonValue() as Promise<number>);
  for (let i = 0; i < RUNS; i++) {
    const help = await context.newPage();
    await help.goto(server.origin + '/help', { waitUntil: 'commit' });
    staticPage.push(await shown(help, 'mcl-help-page', 'h1', 'Help'));
    await help.close();

    const app = await context.newPage();
    await app.goto(server.origin + '/sign-in', { waitUntil: 'commit' });
    toUnlock.push(await shown(app, 'mcl-sign-in-page', 'label', 'PIN for this device'));
    const unlock = app.locator('mcl-sign-in-page section', { hasText: 'Open your record on this device' });
    await unlock.getByLabel('PIN for this device').fill(PIN); // the person types: not counted
    const pressed = await app.evaluate(() => {
      const button = [
        ...document
          .querySelector('mcl-app')!
          .shadowRoot!.querySelector('mcl-sign-in-page')!
          .shadowRoot!.querySelectorAll('button'),
      ].find((b) => b.textContent?.trim() === 'Open my record')!;
      const at = performance.now();
      button.click();
      return at;
    });
    toRecords.push((await shown(app, 'mcl-dashboard', 'li', `${active} current`)) - pressed);
    await app.close();

    // The same with the passkey (its PRF output opens the record; no PIN derivation), in the tab that holds the
    // virtual authenticator: each time a fresh document, the Help page first for this tab's own baseline.
    await page.goto(server.origin + '/help', { waitUntil: 'commit' });
    staticInTab.push(await shown(page, 'mcl-help-page', 'h1', 'Help'));
    await page.goto(server.origin + '/sign-in', { waitUntil: 'commit' });
    const screen = await shown(page, 'mcl-sign-in-page', 'button', 'Open my record with my passkey');
    const tapped = await page.evaluate(() => {
      const button = [
        ...document
          .querySelector('mcl-app')!
          .shadowRoot!.querySelector('mcl-sign-in-page')!
          .shadowRoot!.querySelectorAll('button'),
      ].find((b) => b.textContent?.trim() === 'Open my record with my passkey')!;
      const at = performance.now();
      button.click();
      return at;
    });
    byPasskey.push(screen + (await shown(page, 'mcl-dashboard', 'li', `${activeIn(passkeyFile)} current`)) - tapped);
    // The deliberate cost of a PIN: PBKDF2-SHA-256 with 600,000 iterations, alone, in the same page.
    pbkdf2.push(
      await page.evaluate(async () => {
        const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('428613'), 'PBKDF2', false, [
          'deriveBits',
        ]);
        const start = performance.now();
        await crypto.subtle.deriveBits(
          { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(16), iterations: 600_000 },
          key,
          256,
        );
        return performance.now() - start;
      }),
    );
  }
  const app = median(toUnlock) + median(toRecords);
  console.log(`offline traveller (Chromium, real server, medians of ${RUNS}, same run):`);
  console.log(
    `  cold start offline: static page (Help) from the service worker cache ${ms(median(staticPage))}; the app to its first records ${ms(app)} (unlock screen ${ms(median(toUnlock))} + PIN to records ${ms(median(toRecords))}): ${(app / median(staticPage)).toFixed(2)}x`,
  );
  console.log(`    of which PBKDF2 600,000 iterations (the PIN's deliberate cost) ${ms(median(pbkdf2))}`);
  console.log(
    `  with the passkey instead (PRF; the authenticator answers at once), reopened in one tab: static page ${ms(median(staticInTab))}; the app to its first records ${ms(median(byPasskey))}: ${(median(byPasskey) / median(staticInTab)).toFixed(2)}x`,
  );

  // 2. ITEMS written offline, delivered on reconnect.
  await context.setOffline(false);
  const writer = await context.newPage();
  await signInPatient(writer, server.origin, 'reyna', PASSWORD);
  await context.setOffline(true);
  for (let i = 1; i <= ITEMS; i++) {
    await writer.locator('mcl-app nav a', { hasText: 'Messages' }).click();
    await writer.locator('mcl-messages-page').getByRole('link', { name: 'Write a new message' }).click();
    const compose = writer.locator('mcl-compose-page');
    await compose.getByLabel('To').selectOption({ label: 'Primary care team' });
    await compose.getByLabel('Subject').fill(`Offline note ${i}`);
    await compose.getByLabel('Message').fill(`Written on the plane, note ${i}.`);
    await compose.getByRole('button', { name: 'Send message' }).click();
    await writer
      .locator('mcl-messages-page li', { hasText: `Offline note ${i}` })
      .first()
      .waitFor();
  }
  let accepted = 0;
  const allIn = new Promise<number>((resolve) =>
    context.on('response', (response) => {
      const request = response.request();
      if (
        request.method() === 'POST' &&
        new URL(request.url()).pathname === '/api/messages' &&
        response.status() === 201 &&
        response.headers()['idempotent-replayed'] !== 'true' &&
        ++accepted === ITEMS
      )
        resolve(performance.now());
    }),
  );
  const reconnect = performance.now();
  await context.setOffline(false);
  const delivered = (await allIn) - reconnect;
  // Baseline: the same page posts ITEMS messages itself, one after another, as fast as the server answers.
  const direct = await writer.evaluate(async (n) => {
    const patients = (await (await fetch('/api/records/patients')).json()) as {
      patients: { id: string; self: boolean }[];
    };
    const patientId = (patients.patients.find((p) => p.self) ?? patients.patients[0]!).id;
    const start = performance.now();
    for (let i = 1; i <= n; i++) {
      const res = await fetch('/api/messages', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Requested-With': 'mayocarelink',
          'Idempotency-Key': crypto.randomUUID(),
        },
        body: JSON.stringify({
          patientId,
          recipient: 'department:primary-care',
          subject: `Direct note ${i}`,
          body: `Posted directly, note ${i}.`,
          attachments: [],
        }),
      });
      if (res.status !== 201) throw new Error(`direct post ${i}: ${res.status} ${await res.text()}`);
    }
    return performance.now() - start;
  }, ITEMS);
  console.log(
    `  ${ITEMS} messages written offline, delivered after reconnecting in ${ms(delivered)} (target: within 2 s); the page posting ${ITEMS} directly ${ms(direct)}: ${(delivered / direct).toFixed(2)}x`,
  );
} finally {
  await browser.close();
  await server.stop();
}
