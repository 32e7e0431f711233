import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import {
  axeViolations,
  keepOfflineWithPasskey,
  keepOfflineWithPin,
  launchBrowser,
  launchPhone,
  patientAccount,
  recordResources,
  signInPatient,
  startServer,
  virtualAuthenticator,
  waitForController,
  type RunningServer,
} from './harness.js';
import { activeMedications, patientBundle, patientJourney } from './journey.js';

const bundleFile = patientBundle('Reyna_Ziemann');
const active = activeMedications(bundleFile);
const PASSWORD = 'sunlight over the northern hills';
const PIN = '428613';

describe('a traveller opens the record with a device PIN and no connection, writes, and it is sent once back online', () => {
  const journey = patientJourney(bundleFile, 'reyna', PASSWORD);

  const unlockForm = () =>
    journey.page.locator('mcl-sign-in-page section', { hasText: 'Open your record on this device' });

  it('chooses "keep my record on this device for offline use" with a PIN', async () => {
    const { page, server } = journey;
    await signInPatient(page, server.origin, 'reyna', PASSWORD);
    await waitForController(page);
    await page.locator('mcl-app nav a', { hasText: 'Account' }).click();
    const panel = page.locator('mcl-device-panel');
    await panel.getByLabel('New PIN for this device').fill('123456');
    await panel.getByLabel('The same PIN again').fill('123456');
    await panel.getByRole('button', { name: 'Keep my record with this PIN' }).click();
    await panel.getByRole('alert').getByText('straight run').waitFor();
    await panel.getByLabel('New PIN for this device').fill(PIN);
    await panel.getByLabel('The same PIN again').fill(PIN);
    await panel.getByRole('button', { name: 'Keep my record with this PIN' }).click();
    await panel.getByText('with this PIN you can open your record on this device without a connection').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'account with offline use');
    await page.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
    await page.locator('mcl-sign-in-page').waitFor();
  });

  it('with no connection, opens the record with the PIN and reads it', async () => {
    const { page, server, context } = journey;
    await context.setOffline(true);
    await page.goto(server.origin + '/sign-in'); // answered by the service worker
    await unlockForm().getByLabel('PIN for this device').fill(PIN);
    await unlockForm().getByRole('button', { name: 'Open my record' }).click();
    const dashboard = page.locator('mcl-dashboard');
    await dashboard.locator('li', { hasText: `${active} current` }).waitFor({ timeout: 20_000 });
    await dashboard
      .getByText('You are offline: this is your record as it was last brought up to date.')
      .waitFor({ timeout: 20_000 });
    // A reload offline locks the record again (the key lived in the page only): the page says to sign in, which
    // offers the PIN again.
    await page.goto(server.origin + '/records/medications');
    await page.locator('mcl-medications-page').getByRole('link', { name: 'sign in' }).click();
    await unlockForm().getByLabel('PIN for this device').fill(PIN);
    await unlockForm().getByRole('button', { name: 'Open my record' }).click();
    await page.locator('mcl-dashboard').waitFor();
    await page.locator('mcl-app nav a', { hasText: 'Health record' }).click();
    await page.locator('mcl-records-page a', { hasText: 'Medications' }).first().click();
    await page.locator('mcl-medications-page h2', { hasText: `Taking now (${active})` }).waitFor({ timeout: 20_000 });
  });

  it('writes a message offline: it waits, sealed, and is sent exactly once after signing in online', async () => {
    const { page, server, context } = journey;
    await page.locator('mcl-app nav a', { hasText: 'Messages' }).click();
    await page.locator('mcl-messages-page').getByRole('link', { name: 'Write a new message' }).click();
    const compose = page.locator('mcl-compose-page');
    await compose.getByText('only the clinic’s departments are listed').waitFor();
    await compose.getByLabel('To').selectOption({ label: 'Primary care team' });
    await compose.getByLabel('Subject').fill('Written on the plane');
    await compose.getByLabel('Message').fill('I am abroad until the 10th. My blood pressure has been fine.');
    await compose.getByRole('button', { name: 'Send message' }).click();
    const list = page.locator('mcl-messages-page');
    await list.getByText('Waiting for a connection: it will be sent when you are back online.').waitFor();
    await context.setOffline(false);
    await page.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
    await signInPatient(page, server.origin, 'reyna', PASSWORD);
    await page.locator('mcl-app nav a', { hasText: 'Messages' }).click();
    await list.locator('li.card h2', { hasText: 'Written on the plane' }).waitFor({ timeout: 20_000 });
    const messages = await recordResources(server, 'reyna', PASSWORD, 'Communication');
    assert.equal(messages.filter((m) => m.topic?.text === 'Written on the plane').length, 1, 'exactly once');
  });

  it('ten wrong PINs delete the copy of the record on this device', async () => {
    const { page, server, context } = journey;
    await page.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
    await context.setOffline(true);
    try {
      await page.goto(server.origin + '/sign-in');
      for (let i = 1; i <= 10; i++) {
        await unlockForm().getByLabel('PIN for this device').fill('999000');
        await unlockForm().getByRole('button', { name: 'Open my record' }).click();
        if (i < 10)
          await unlockForm()
            .getByRole('alert')
            .getByText(`${10 - i} ${10 - i === 1 ? 'try is' : 'tries are'} left`)
            .waitFor();
      }
      await page
        .locator('mcl-sign-in-page')
        .getByText('After 10 wrong PINs, the copy of your record on this device was deleted.')
        .waitFor();
      const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
      assert.ok(!names.includes('mcl-vault'), names.join(','));
    } finally {
      await context.setOffline(false);
    }
  });
});

describe('the same with a passkey (PRF) instead of a PIN', () => {
  const journey = patientJourney(bundleFile, 'reyna', PASSWORD, {
    withPage: ({ page }) => virtualAuthenticator(page, { prf: true }),
  });

  it('adds a passkey, keeps the record for offline use with it, and opens it with no connection', async () => {
    const { page, server, context } = journey;
    await keepOfflineWithPasskey(page, server.origin, 'reyna', PASSWORD);
    await page.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
    await page.locator('mcl-sign-in-page').waitFor();
    await context.setOffline(true);
    try {
      await page.goto(server.origin + '/sign-in');
      await page.locator('mcl-sign-in-page').getByRole('button', { name: 'Open my record with my passkey' }).click();
      await page.locator('mcl-dashboard li', { hasText: `${active} current` }).waitFor({ timeout: 20_000 });
      // Nothing usable was stored: the sealed key and the PRF salt only.
      const stored = await page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve) =>
          Object.assign(indexedDB.open('mcl-vault'), {
            onsuccess(this: IDBRequest<IDBDatabase>) {
              resolve(this.result);
            },
          }),
        );
        const row = await new Promise<Record<string, unknown>>((resolve) =>
          Object.assign(db.transaction('prfUnlock').objectStore('prfUnlock').get('prf'), {
            onsuccess(this: IDBRequest) {
              resolve(this.result);
            },
          }),
        );
        db.close();
        return Object.keys(row).sort();
      });
      assert.deepEqual(stored, ['createdAt', 'credentialId', 'data', 'hkdfSalt', 'iv', 'key', 'prfSalt']);
    } finally {
      await context.setOffline(false);
    }
  });
});

describe('the same phone, restarted: offline for a trip, then back online', () => {
  let server: RunningServer;
  let dir: string;
  const medName = (JSON.parse(readFileSync(bundleFile, 'utf8')) as { entry: { resource: Record<string, any> }[] }).entry
    .map((e) => e.resource)
    .find((r) => r.resourceType === 'MedicationRequest' && r.status === 'active')!;
  const medText: string = medName.medicationCodeableConcept.text ?? medName.medicationCodeableConcept.coding[0].display;

  before(async () => {
    server = await startServer();
    await patientAccount(server, bundleFile, 'reyna', PASSWORD);
    dir = mkdtempSync(join(tmpdir(), 'mcl-phone-'));
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets up offline use, is closed, reopens with no network, unlocks, writes a message and a refill request', async () => {
    let phone = await launchPhone(dir);
    let page = phone.pages()[0] ?? (await phone.newPage());
    await signInPatient(page, server.origin, 'reyna', PASSWORD);
    await waitForController(page);
    await keepOfflineWithPin(page, PIN);
    await phone.close();

    phone = await launchPhone(dir, { offline: true });
    page = phone.pages()[0] ?? (await phone.newPage());
    await page.goto(server.origin + '/sign-in');
    const unlock = page.locator('mcl-sign-in-page section', { hasText: 'Open your record on this device' });
    await unlock.getByLabel('PIN for this device').fill(PIN);
    await unlock.getByRole('button', { name: 'Open my record' }).click();
    await page.locator('mcl-dashboard li', { hasText: `${active} current` }).waitFor({ timeout: 20_000 });
    await page.locator('mcl-app nav a', { hasText: 'Messages' }).click();
    await page.locator('mcl-messages-page').getByRole('link', { name: 'Write a new message' }).click();
    const compose = page.locator('mcl-compose-page');
    await compose.getByLabel('To').selectOption({ label: 'Primary care team' });
    await compose.getByLabel('Subject').fill('From the trip');
    await compose.getByLabel('Message').fill('All well so far.');
    await compose.getByRole('button', { name: 'Send message' }).click();
    await page.locator('mcl-messages-page').getByText('Waiting for a connection').waitFor();
    await page.locator('mcl-app nav a', { hasText: 'Health record' }).click();
    await page.locator('mcl-records-page a', { hasText: 'Medications' }).first().click();
    await page
      .locator('mcl-medications-page li.card', { hasText: medText })
      .first()
      .getByRole('link', { name: /^Request (refill|renewal):/ })
      .click();
    const refills = page.locator('mcl-refills-page');
    await refills.locator('input[name="pharmacy"]').fill('Pharmacy at home');
    await refills.getByRole('button', { name: 'Send request' }).click();
    await refills.locator('li.card', { hasText: medText }).first().getByText('Waiting for a connection').waitFor();
    await phone.close();
  });

  it('reopens online, signs in: both arrive exactly once and show their new state', async () => {
    const phone = await launchPhone(dir);
    const page = phone.pages()[0] ?? (await phone.newPage());
    try {
      await signInPatient(page, server.origin, 'reyna', PASSWORD);
      await page.locator('mcl-app nav a', { hasText: 'Messages' }).click();
      await page.locator('mcl-messages-page li.card h2', { hasText: 'From the trip' }).waitFor({ timeout: 20_000 });
      await page.goto(server.origin + '/refills');
      await page
        .locator('mcl-refills-page li.card', { hasText: medText })
        .first()
        .locator('[role="status"]', { hasText: /requested on .*waiting for your care team/ })
        .waitFor({ timeout: 20_000 });
    } finally {
      await phone.close();
    }
    assert.equal(
      (await recordResources(server, 'reyna', PASSWORD, 'Communication')).filter(
        (m) => m.topic?.text === 'From the trip',
      ).length,
      1,
      'the message once',
    );
    assert.equal(
      (await recordResources(server, 'reyna', PASSWORD, 'Task')).filter(
        (t) => t.input?.[0]?.valueString === 'Pharmacy at home',
      ).length,
      1,
      'the refill request once',
    );
  });
});

describe('two tabs of the app, both online again at once', () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    server = await startServer();
    await patientAccount(server, bundleFile, 'reyna', PASSWORD);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('send what was written offline exactly once, one tab at a time, and both show it sent', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const first = await context.newPage();
    await signInPatient(first, server.origin, 'reyna', PASSWORD);
    await waitForController(first);
    const second = await context.newPage();
    await second.goto(server.origin + '/messages');
    await second.locator('mcl-messages-page').getByText('No messages yet').waitFor({ timeout: 20_000 });
    await first.locator('mcl-app nav a', { hasText: 'Messages' }).click();
    await context.setOffline(true);
    for (const subject of ['Tab note one', 'Tab note two', 'Tab note three']) {
      // In-app navigation: a reload offline would lock the record (only a device PIN or passkey opens it then).
      await first.locator('mcl-messages-page').getByRole('link', { name: 'Write a new message' }).click();
      const compose = first.locator('mcl-compose-page');
      await compose.getByLabel('To').selectOption({ label: 'Primary care team' });
      await compose.getByLabel('Subject').fill(subject);
      await compose.getByLabel('Message').fill(`${subject}, written offline.`);
      await compose.getByRole('button', { name: 'Send message' }).click();
      await first.locator('mcl-messages-page strong', { hasText: `To Primary care team: ${subject}` }).waitFor();
    }
    // The other tab shows the same waiting items.
    await second.locator('mcl-messages-page strong', { hasText: 'To Primary care team: Tab note three' }).waitFor();
    await context.setOffline(false); // both tabs see `online` and flush; Web Locks let one send at a time
    for (const page of [first, second]) {
      for (const subject of ['Tab note one', 'Tab note two', 'Tab note three'])
        await page.locator('mcl-messages-page li.card h2', { hasText: subject }).waitFor({ timeout: 20_000 });
    }
    const subjects = (await recordResources(server, 'reyna', PASSWORD, 'Communication'))
      .map((m) => m.topic.text as string)
      .sort();
    assert.deepEqual(subjects, ['Tab note one', 'Tab note three', 'Tab note two']);
    await context.close();
  });

  it('signing out in one tab signs out the other and locks its record (also when opened with the PIN offline)', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const first = await context.newPage();
    await signInPatient(first, server.origin, 'reyna', PASSWORD);
    await waitForController(first);
    const second = await context.newPage();
    await second.goto(server.origin + '/records/medications');
    await second.locator('mcl-medications-page h2', { hasText: 'Taking now' }).waitFor({ timeout: 20_000 });
    await first.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
    await first.locator('mcl-sign-in-page').waitFor();
    await second
      .locator('mcl-sign-in-page')
      .getByText('You signed out in another window or tab of this app.')
      .waitFor();
    assert.equal(await second.locator('mcl-medications-page').count(), 0, 'the record is no longer shown');

    // Opened with the PIN, offline: "Sign out" (lock) in one tab locks the other too.
    await signInPatient(first, server.origin, 'reyna', PASSWORD);
    await keepOfflineWithPin(first, PIN);
    await first.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
    await context.setOffline(true);
    for (const page of [first, second]) {
      await page.goto(server.origin + '/sign-in');
      const unlock = page.locator('mcl-sign-in-page section', { hasText: 'Open your record on this device' });
      await unlock.getByLabel('PIN for this device').fill(PIN);
      await unlock.getByRole('button', { name: 'Open my record' }).click();
      await page.locator('mcl-dashboard li', { hasText: `${active} current` }).waitFor({ timeout: 20_000 });
    }
    await first.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
    await second
      .locator('mcl-sign-in-page')
      .getByText('You signed out in another window or tab of this app.')
      .waitFor();
    assert.equal(await second.locator('mcl-dashboard').count(), 0);
    await context.close();
  });
});
