import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { devices, type Page } from 'playwright-core';
import {
  axeViolations,
  signInAddingPasskey,
  signInPatient,
  signOutAndGoOffline,
  virtualAuthenticator,
  waitForController,
} from './harness.js';
import { activeMedications, patientBundle, patientJourney } from './journey.js';

// [2/11]: offline use is offered, once, to a patient on a personal device after the first download of the record,
// passkey (PRF) first and PIN second; never on a computer marked as shared, where no text says the record is kept.
const bundleFile = patientBundle('Reyna_Ziemann');
const active = activeMedications(bundleFile);
const PASSWORD = 'sunlight over the northern hills';
const PIN = '428613';
const phone = devices['Pixel 7']!;
const OFFER = 'Keep your record on this phone for when you have no connection';
const SHARED_NOTICE =
  'You said this is a shared or public computer: nothing about you is kept on it after you sign out.';

const offer = (page: Page) => page.locator('mcl-keep-offline-offer section', { hasText: OFFER });
const said = (page: Page) => page.locator('mcl-keep-offline-offer [role="status"]');
/** Home with the record up to date, then long enough for the offer to have decided (it shows within this when made). */
async function homeUpToDate(page: Page) {
  await page.locator('mcl-dashboard [role="status"]', { hasText: 'Up to date as of' }).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1500);
}
/** The id of the element that has the focus, inside shadow roots. */
const activeId = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.id;
  });
/** All the text an element shows in its shadow root (innerText of a host is its light DOM only). */
const shownText = (page: Page, tag: string) =>
  page.locator(tag).evaluate((el) => el.shadowRoot!.textContent!.replace(/\s+/g, ' '));
const openWithPin = async (page: Page) => {
  const unlock = page.locator('mcl-sign-in-page section', { hasText: 'Open your record on this device' });
  await unlock.getByLabel('PIN for this device').fill(PIN);
  await unlock.getByRole('button', { name: 'Open my record' }).click();
  await page.locator('mcl-dashboard li', { hasText: `${active} current` }).waitFor({ timeout: 20_000 });
};

describe('a personal phone: Home offers once to keep the record for no connection; the PIN from the offer works offline', () => {
  const journey = patientJourney(bundleFile, 'reyna', PASSWORD, { contextOptions: phone });

  it('after the first download, offers it plainly: PIN (no passkey on this phone), a link to what it protects, "Not now"; axe clean', async () => {
    const { page, server } = journey;
    await signInPatient(page, server.origin, 'reyna', PASSWORD);
    await waitForController(page);
    await offer(page).getByRole('heading', { name: OFFER }).waitFor({ timeout: 10_000 });
    assert.equal(await offer(page).getByRole('button', { name: 'Use my passkey on this device' }).count(), 0);
    await offer(page).getByRole('button', { name: 'Not now' }).waitFor();
    await offer(page).getByRole('link', { name: 'What this protects, and what it does not' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'Home with the offer');
  });

  it('keeps the record with a PIN from the offer, by keyboard alone; then it is not offered again', async () => {
    const { page, server } = journey;
    await offer(page).getByLabel('New PIN for this device').focus();
    await page.keyboard.type('123456');
    await page.keyboard.press('Tab');
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    await offer(page).getByRole('alert').getByText('Use digits that are not in a straight run.').waitFor();
    // The focus is on what was wrong; back to the first field, each typed over.
    await page.keyboard.press('Tab');
    assert.equal(await activeId(page), 'pin');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(PIN);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(PIN);
    await page.keyboard.press('Enter');
    await said(page).getByText('Done: your record is kept on this phone. With your PIN it opens').waitFor();
    assert.equal(await offer(page).count(), 0, 'the offer has gone');
    assert.deepEqual(await axeViolations(page), [], 'Home after keeping');
    await page.goto(server.origin + '/');
    await homeUpToDate(page);
    assert.equal(await page.locator('mcl-keep-offline-offer section').count(), 0, 'not offered again');
    // Account → This device says the record opens here without a connection.
    await page.locator('mcl-app nav a', { hasText: 'Account' }).click();
    await page.locator('mcl-device-panel').getByText('can be opened on this device without a connection').waitFor();
  });

  it('with no connection, opens the record with that PIN; signed in again online, it is still not offered', async () => {
    const { page, server, context } = journey;
    try {
      await signOutAndGoOffline(page, server.origin);
      await openWithPin(page);
      await page
        .locator('mcl-dashboard')
        .getByText('You are offline: this is your record as it was last brought up to date.')
        .waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('mcl-keep-offline-offer section').count(), 0, 'not while opened offline');
      await page.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
    } finally {
      await context.setOffline(false);
    }
    await signInPatient(page, server.origin, 'reyna', PASSWORD);
    await homeUpToDate(page);
    assert.equal(await page.locator('mcl-keep-offline-offer section').count(), 0);
  });

  it('on another phone of hers, "Not now" is the answer there: it goes, says where to find it, and is not offered again', async () => {
    const { browser, server } = journey;
    const other = await browser.newContext({ ...phone, bypassCSP: true });
    try {
      const page = await other.newPage();
      await signInPatient(page, server.origin, 'reyna', PASSWORD);
      await offer(page).getByRole('button', { name: 'Not now' }).click();
      await said(page).getByText('You can do this later in Account, under “This device”.').waitFor();
      assert.equal(await offer(page).count(), 0);
      await page.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
      await signInPatient(page, server.origin, 'reyna', PASSWORD);
      await homeUpToDate(page);
      assert.equal(await page.locator('mcl-keep-offline-offer section').count(), 0, 'not offered again');
    } finally {
      await other.close();
    }
  });
});

describe('a phone with a passkey that can give PRF: the offer puts the passkey way first', () => {
  const journey = patientJourney(bundleFile, 'reyna', PASSWORD, {
    contextOptions: phone,
    withPage: ({ page }) => virtualAuthenticator(page, { prf: true }),
  });

  it('adds a passkey at sign-in, is offered the passkey before the PIN, keeps the record with it, and opens it offline', async () => {
    const { page, server, context } = journey;
    await signInAddingPasskey(page, server.origin, 'reyna', PASSWORD);
    const passkey = offer(page).getByRole('button', { name: 'Use my passkey on this device' });
    await passkey.waitFor({ timeout: 30_000 });
    // First: the passkey, then the PIN (in the order of the page, which is the order of Tab).
    const first = await offer(page).evaluate((section) => {
      const form = section.querySelector('mcl-keep-offline-form')!.shadowRoot!;
      const button = [...form.querySelectorAll('button')].find(
        (b) => b.textContent === 'Use my passkey on this device',
      )!;
      return !!(button.compareDocumentPosition(form.querySelector('#pin')!) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.equal(first, true, 'the passkey way comes before the PIN');
    await offer(page).getByText('Or choose a PIN of 6 to 12 digits:').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'Home with the passkey offer');
    await passkey.click();
    await said(page).getByText('Your passkey opens it, even with no connection.').waitFor();
    try {
      await signOutAndGoOffline(page, server.origin);
      await page.locator('mcl-sign-in-page').getByRole('button', { name: 'Open my record with my passkey' }).click();
      await page.locator('mcl-dashboard li', { hasText: `${active} current` }).waitFor({ timeout: 20_000 });
    } finally {
      await context.setOffline(false);
    }
  });
});

describe('a computer marked as shared at sign-in: nothing is offered, and nothing says the record is kept on it', () => {
  const journey = patientJourney(bundleFile, 'reyna', PASSWORD);

  it('offers nothing on Home, even after the download', async () => {
    const { page, server } = journey;
    await signInPatient(page, server.origin, 'reyna', PASSWORD, { shared: true });
    await waitForController(page);
    await homeUpToDate(page);
    assert.equal(await page.locator('mcl-keep-offline-offer section').count(), 0);
    assert.equal(await page.getByText(/Keep your record on this/).count(), 0);
  });

  it('the records page, Account, the message form, Help and the offline notice say nothing is kept here', async () => {
    const { page, context } = journey;
    await page.locator('mcl-app nav a', { hasText: 'Health record' }).click();
    const records = page.locator('mcl-records-page');
    await records.getByText(SHARED_NOTICE).waitFor({ timeout: 20_000 });
    assert.doesNotMatch(
      await shownText(page, 'mcl-records-page'),
      /kept on this (device|computer)|opens without a connection/i,
    );
    await records.getByRole('button', { name: 'Sign out and remove my data' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'records page on a shared computer');

    await page.locator('mcl-app nav a', { hasText: 'Account' }).click();
    await page.locator('mcl-device-panel').getByText(SHARED_NOTICE).waitFor();
    assert.equal(await page.locator('mcl-device-panel').getByLabel('New PIN for this device').count(), 0);

    await page.locator('mcl-app nav a', { hasText: 'Messages' }).click();
    await page.locator('mcl-messages-page').getByRole('link', { name: 'Write a new message' }).click();
    await page.locator('mcl-compose-page').getByText('What you type is kept until you send it or sign out.').waitFor();

    await page.locator('mcl-app nav a', { hasText: 'Help' }).click();
    const help = page.locator('mcl-help-page');
    await help.getByRole('heading', { name: 'Keeping your record on your phone or computer' }).waitFor();
    assert.match(await shownText(page, 'mcl-help-page'), /nothing about you is kept on it after you sign out/);
    assert.doesNotMatch(await shownText(page, 'mcl-help-page'), /Home offers it once/);

    await context.setOffline(true);
    try {
      const notice = page.locator('mcl-connection-status p.offline');
      await notice.waitFor();
      assert.doesNotMatch(await notice.innerText(), /saved on this device/);
      assert.match(await notice.innerText(), /nothing about you is kept on this computer after you sign out/);
    } finally {
      await context.setOffline(false);
    }
  });
});
