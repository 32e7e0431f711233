import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CDPSession, Page } from 'playwright-core';
import { recordResources, signInPatient, waitForController, type RunningServer } from './harness.js';
import { patientBundle, patientJourney, type Journey } from './journey.js';

const bundleFile = patientBundle('Reyna_Ziemann');
const PASSWORD = 'sunlight over the northern hills';

/** Signs the journey's patient in, with the service worker in control of the page. */
async function signIn({ page, server }: Journey): Promise<void> {
  await signInPatient(page, server.origin, 'reyna', PASSWORD);
  await waitForController(page);
}

async function writeMessage(page: Page, subject: string, text: string): Promise<void> {
  await page.locator('mcl-app nav a', { hasText: 'Messages' }).click();
  await page.locator('mcl-messages-page').getByRole('link', { name: 'Write a new message' }).click();
  const compose = page.locator('mcl-compose-page');
  await compose.getByLabel('To').selectOption({ label: 'Primary care team' });
  await compose.getByLabel('Subject').fill(subject);
  await compose.getByLabel('Message').fill(text);
  await compose.getByRole('button', { name: 'Send message' }).click();
  await page.locator('mcl-messages-page li', { hasText: subject }).waitFor();
}

/**
 * Takes only this tab off the network (DevTools network emulation on the page's target), as when a tab in the
 * background cannot act: the service worker, with its own connection, is the one that can send.
 */
async function tabOffline(cdp: CDPSession, offline: boolean): Promise<void> {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
}

async function countOf(server: RunningServer, subject: string): Promise<number> {
  const messages = await recordResources(server, 'reyna', PASSWORD, 'Communication');
  return messages.filter((m) => m.topic?.text === subject).length;
}

/** Fires the outbox's Background Sync in the service worker, as Chromium does when the connection returns. */
async function fireBackgroundSync(cdp: CDPSession, origin: string): Promise<void> {
  const registration = new Promise<string>((resolve) =>
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const mine = registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    }),
  );
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.dispatchSyncEvent', {
    origin,
    registrationId: await registration,
    tag: 'mcl-outbox',
    lastChance: false,
  });
}

describe('what was written offline is sent by the service worker on Background Sync', () => {
  const journey = patientJourney(bundleFile, 'reyna', PASSWORD, {
    // Counts the messages the page itself posts (the service worker's fetches are not the page's).
    withContext: (context) =>
      context.addInitScript(() => {
        const pageFetch = window.fetch;
        window.fetch = (input, init) => {
          // The outbox posts to the typed client's absolute URL: compare paths, not strings.
          const url = new URL(input instanceof Request ? input.url : String(input), location.href);
          if (init?.method === 'POST' && url.pathname === '/api/messages') {
            sessionStorage.setItem('posted', String(Number(sessionStorage.getItem('posted') ?? 0) + 1));
          }
          return pageFetch(input, init);
        };
      }),
    withPage: signIn,
  });
  const pagePosts = async () => Number(await journey.page.evaluate(() => sessionStorage.getItem('posted') ?? 0));

  it('sends it from the service worker, once, with the keys borrowed from the open tab, and the tab shows it sent', async () => {
    const { page, server, context } = journey;
    const cdp = await context.newCDPSession(page);
    await tabOffline(cdp, true);
    await writeMessage(page, 'Sent by the service worker', 'Written in a tunnel.');
    // Chromium fires the sync as soon as the service worker has a connection; the test fires it too, to not wait.
    await fireBackgroundSync(cdp, server.origin);
    // The tab was told (BroadcastChannel) and shows it sent, though the tab itself is still offline.
    await page
      .locator('mcl-messages-page li', { hasText: 'Sent by the service worker' })
      .getByText('Sent.')
      .waitFor({ timeout: 20_000 });
    assert.equal(await countOf(server, 'Sent by the service worker'), 1, 'exactly once');
    assert.equal(await pagePosts(), 0, 'the page did not send it: the service worker did');
    // The tab comes back online, syncs, and shows the message in its conversation; nothing is sent twice.
    await tabOffline(cdp, false);
    await page
      .locator('mcl-messages-page li.card h2', { hasText: 'Sent by the service worker' })
      .waitFor({ timeout: 20_000 });
    assert.equal(await countOf(server, 'Sent by the service worker'), 1, 'still exactly once');
  });

  it('a locked app lends no key: the service worker sends nothing, and the page sends it when the record is opened again', async () => {
    const { page, server, context } = journey;
    await context.setOffline(true);
    await writeMessage(page, 'Waits for the owner', 'Written before signing out.');
    await page.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
    await page.locator('mcl-sign-in-page').waitFor();
    await context.setOffline(false);
    await fireBackgroundSync(await context.newCDPSession(page), server.origin);
    await page.waitForTimeout(1000);
    assert.equal(await countOf(server, 'Waits for the owner'), 0, 'the service worker could not read it');
    await signInPatient(page, server.origin, 'reyna', PASSWORD);
    await page.locator('mcl-app nav a', { hasText: 'Messages' }).click();
    await page.locator('mcl-messages-page li.card h2', { hasText: 'Waits for the owner' }).waitFor({ timeout: 20_000 });
    assert.equal(await countOf(server, 'Waits for the owner'), 1, 'exactly once');
    assert.equal(await pagePosts(), 1, 'the page sent it');
  });
});

describe('the server killed in the middle of sending the outbox, then restarted', () => {
  const journey = patientJourney(bundleFile, 'reyna', PASSWORD, { withPage: signIn });

  it('still delivers every item exactly once', async () => {
    const { page, server, context } = journey;
    const subjects = Array.from({ length: 6 }, (_, i) => `Trip note ${i + 1}`);
    await context.setOffline(true);
    for (const subject of subjects) await writeMessage(page, subject, `${subject}: written offline.`);
    // The third request is on its way when the server dies: it may or may not have been carried out.
    let posts = 0;
    const killed = new Promise<void>((resolve) =>
      context.on('request', (request) => {
        if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/messages' && ++posts === 3)
          void server.crash().then(resolve);
      }),
    );
    await context.setOffline(false);
    await killed;
    await server.restart();
    // The connection "returns" again: the page sends what is still waiting, trying again after 5, 10, 20 s while an
    // attempt that died with the server still holds its key (its lease runs out after 15 s).
    await context.setOffline(true);
    await context.setOffline(false);
    for (const subject of subjects)
      await page.locator('mcl-messages-page li.card h2', { hasText: subject }).waitFor({ timeout: 30_000 });
    const messages = await recordResources(server, 'reyna', PASSWORD, 'Communication');
    for (const subject of subjects)
      assert.equal(messages.filter((m) => m.topic?.text === subject).length, 1, `${subject} exactly once`);
  });
});
