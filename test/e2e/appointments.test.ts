import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  axeViolations,
  enrolStaff,
  launchBrowser,
  patientAccount,
  recordResources,
  runCli,
  signInPatient,
  startServer,
  waitForController,
  type RunningServer,
  virtualAuthenticator,
} from './harness.js';

const shared = join(process.cwd(), '..', 'shared', 'fhir', 'patients');
const bundleFile = join(
  shared,
  readdirSync(shared).find((f) => f.startsWith('Reyna_Ziemann'))!,
);
const PASSWORD = 'sunlight over the northern hills';
// Her record's newest visit (Encounter), which the appointments page lists first under Past.
const newestVisit = (JSON.parse(readFileSync(bundleFile, 'utf8')).entry as { resource: Record<string, any> }[])
  .map((e) => e.resource)
  .filter((r) => r.resourceType === 'Encounter')
  .sort((a, b) => Date.parse(b.period.start) - Date.parse(a.period.start))[0]!;

describe('a travelling patient books, moves, saves to the calendar and cancels a visit', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startServer(); // the demo clinic: three weeks of open times from tomorrow
    await patientAccount(server, bundleFile, 'reyna', PASSWORD);
    browser = await launchBrowser();
    // Her phone is in Berlin; the clinic is in Chicago.
    page = await (
      await browser.newContext({ bypassCSP: true, acceptDownloads: true, timezoneId: 'Europe/Berlin' })
    ).newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const appointments = () => page.locator('mcl-appointments-page');
  // The rule, as the pages say it before anything is chosen (the demo clinic: 24 hours, its support number).
  const rule =
    /^You can change or cancel this online until \w{3}, \w{3} \d{1,2}, \d{1,2}:\d{2} (AM|PM) Chicago time; after that, call \+1 507-555-0100\.$/;
  // Free times start 24 hours from now (sooner ones could not be cancelled online, so they are not offered).
  const pickTime = async (day: number) => {
    const book = page.locator('mcl-book-page');
    await book.getByLabel('Kind of visit').selectOption({ label: 'Follow-up visit (20 minutes)' });
    await book.getByLabel('With').selectOption({ label: 'Dr. Ana Lee (Primary care)' });
    await book.getByRole('button', { name: 'Show free times' }).click();
    const times = book.locator('section.day').nth(day).locator('button');
    await times.first().waitFor();
    await times.nth(1).click();
    await book.locator('#confirm-title').waitFor();
  };

  it('books a follow-up with Dr. Lee: shown in Chicago time and in Berlin time, with what to bring', async () => {
    await signInPatient(page, server.origin, 'reyna', PASSWORD);
    await page.locator('mcl-dashboard').getByText('None booked.').waitFor();
    await page.locator('mcl-app nav a', { hasText: 'Appointments' }).click();
    await appointments().getByText('No upcoming appointments.').waitFor();
    await appointments().getByRole('link', { name: 'Book a visit' }).click();
    // The rule is said before anything is chosen.
    assert.equal(
      await page.locator('mcl-book-page p.rule').innerText(),
      'You can book, change or cancel a visit online until 24 hours before it starts; after that, please call +1 507-555-0100. Sooner times are not shown here.',
    );
    await pickTime(2);
    const confirm = await page.locator('mcl-book-page section.card').innerText();
    assert.match(confirm, /Follow-up visit.*with Dr\. Ana Lee/);
    assert.match(confirm, /(CST|CDT) \(Chicago time\)/);
    assert.match(confirm, /where you are \(Berlin\)/);
    assert.match(confirm, /Bring your medicines/);
    assert.deepEqual(await axeViolations(page), [], 'booking');
    const posted = page.waitForRequest(
      (r) => new URL(r.url()).pathname === '/api/appointments' && r.method() === 'POST',
    );
    await page.locator('mcl-book-page').getByRole('button', { name: 'Book this time' }).click();
    assert.match((await posted).headers()['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/);
    await appointments().getByRole('heading', { name: 'Upcoming (1)' }).waitFor({ timeout: 20_000 });
    const card = await appointments().locator('li.card').first().innerText();
    assert.match(card, /Follow-up visit with Dr\. Ana Lee/);
    assert.match(card, /Main Street Clinic/);
    assert.match(card, /100 Main Street, Rochester/);
    assert.match(card, /where you are \(Berlin\)/);
    // Up front, on the list: until when it can be changed online, and the number after that.
    const said = appointments().locator('li.card').first().locator('p.rule');
    assert.match(await said.innerText(), rule);
    assert.equal(await said.getByRole('link', { name: '+1 507-555-0100' }).getAttribute('href'), 'tel:+15075550100');
    // Past: her record's own visits, newest first, from the local record.
    await appointments()
      .getByRole('heading', { name: /^Past \(\d+\)$/ })
      .waitFor();
    assert.equal(
      await appointments().locator('ul[aria-label="Past visits"] > li h3').first().innerText(),
      newestVisit.type[0].text,
    );
    assert.deepEqual(await axeViolations(page), [], 'appointments');
    await page.locator('mcl-app nav a', { hasText: 'Home' }).click();
    await page
      .locator('mcl-dashboard section', { hasText: 'Upcoming appointments' })
      .getByText(/Follow-up visit with Dr\. Ana Lee/)
      .waitFor();
  });

  it('moves it to another time in one step, by keyboard; the kind of visit is kept, not asked again', async () => {
    await page.goto(`${server.origin}/appointments`);
    const before = await appointments().locator('li.card').first().locator('strong').first().innerText();
    await appointments()
      .getByRole('link', { name: /^Change the time/ })
      .focus();
    await page.keyboard.press('Enter');
    const book = page.locator('mcl-book-page');
    await book.locator('h1', { hasText: 'Change the time of your appointment' }).waitFor();
    await book.getByText('Kind of visit: Follow-up visit (20 minutes). A move keeps the kind of visit.').waitFor();
    assert.equal(await book.locator('select#type').count(), 0, 'the kind of visit is not asked again');
    assert.match(
      await book.locator('p.rule').innerText(),
      /^You can book, change or cancel a visit online until 24 hours/,
    );
    assert.deepEqual(await axeViolations(page), [], 'change the time');
    await book.getByLabel('With').selectOption({ label: 'Dr. Ana Lee (Primary care)' });
    await book.getByRole('button', { name: 'Show free times' }).focus();
    await page.keyboard.press('Enter');
    const time = book.locator('section.day').nth(3).locator('button').nth(1);
    await time.focus();
    await page.keyboard.press('Space');
    await book.locator('#confirm-title').waitFor();
    assert.match(await book.locator('section.card').innerText(), /Follow-up visit.*with Dr\. Ana Lee/);
    await book.getByRole('button', { name: 'Move to this time' }).focus();
    await page.keyboard.press('Enter');
    await appointments().getByRole('heading', { name: 'Upcoming (1)' }).waitFor({ timeout: 20_000 });
    await page.waitForFunction((old) => {
      const el = document
        .querySelector('mcl-app')
        ?.shadowRoot?.querySelector('mcl-appointments-page')
        ?.shadowRoot?.querySelector('li.card strong');
      return el && el.textContent !== old;
    }, before);
    assert.equal(
      await appointments().getByRole('heading', { name: 'Cancelled (0)' }).count(),
      1,
      'moved, not a second visit',
    );
    const visits = (await recordResources(server, 'reyna', PASSWORD, 'Appointment')).filter(
      (a) => a.status === 'booked',
    );
    assert.equal(visits.length, 1);
    assert.equal(visits[0]!.appointmentType.text, 'Follow-up visit', 'the server kept the kind of visit');
  });

  it('saves it to a calendar as an .ics file', async () => {
    const download = page.waitForEvent('download');
    await appointments()
      .getByRole('button', { name: /^Add to calendar/ })
      .click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^appointment-\d{4}-\d{2}-\d{2}\.ics$/);
    const ics = readFileSync((await file.path())!, 'utf8');
    assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
    assert.match(ics, /DTSTART:\d{8}T\d{6}Z\r\n/);
    assert.match(ics, /LOCATION:Main Street Clinic\\, 100 Main Street/);
  });

  it('cancels it, with a reason, and it moves to the cancelled list', async () => {
    await appointments()
      .getByRole('button', { name: /^Cancel:/ })
      .click();
    await appointments().getByLabel('Reason (optional)').fill('Travelling that week');
    await appointments().getByRole('button', { name: 'Cancel this appointment' }).click();
    await appointments().locator('[role="status"].success', { hasText: 'is cancelled' }).waitFor();
    await appointments().getByRole('heading', { name: 'Upcoming (0)' }).waitFor({ timeout: 20_000 });
    assert.match(
      await appointments().locator('ul[aria-label="Cancelled visits"] li.card').first().innerText(),
      /Cancelled \(Travelling that week\)/,
    );
    const audit = await runCli(server.dataDir, ['audit', 'verify']);
    assert.equal(audit.code, 0, audit.stderr);
  });
});

describe('with no connection, a patient asks for an appointment; it is sent once, and the care team books a time for it', () => {
  let server: RunningServer;
  let browser: Browser;
  let patient: BrowserContext;
  let page: Page;
  let staff: Page;

  before(async () => {
    server = await startServer();
    await patientAccount(server, bundleFile, 'reyna', PASSWORD);
    browser = await launchBrowser();
    patient = await browser.newContext({ bypassCSP: true });
    page = await patient.newPage();
    const clinic = await browser.newContext({ bypassCSP: true });
    staff = await clinic.newPage();
    await virtualAuthenticator(staff);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('writes the request offline: it waits, and goes out exactly once when the connection returns', async () => {
    await signInPatient(page, server.origin, 'reyna', PASSWORD);
    await waitForController(page);
    await patient.setOffline(true);
    await page.locator('mcl-app nav a', { hasText: 'Appointments' }).click();
    await page.locator('mcl-appointments-page').getByRole('link', { name: 'Ask for an appointment' }).click();
    const form = page.locator('mcl-request-page');
    await form.getByLabel('What is the visit for?').fill('My knee hurts on the stairs');
    await form.getByLabel('Time of day').selectOption({ label: 'Mornings' });
    assert.deepEqual(await axeViolations(page), [], 'request form');
    await form.getByRole('button', { name: 'Send the request' }).click();
    const list = page.locator('mcl-appointments-page');
    await list.getByText('Waiting for a connection: it will be sent when you are back online.').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'appointments with a request waiting');
    await patient.setOffline(false);
    await list.getByText('Waiting for the clinic to choose a time.').waitFor({ timeout: 20_000 });
    await list.getByText('Waiting for a connection').waitFor({ state: 'detached' });
    const requests = (await recordResources(server, 'reyna', PASSWORD, 'Appointment')).filter(
      (a) => a.status === 'proposed',
    );
    assert.equal(requests.length, 1, 'exactly once');
    assert.equal(requests[0]!.reasonCode[0].text, 'My knee hurts on the stairs');
  });

  it('the care team finds a free time on those days and books it; the patient sees the visit', async () => {
    await enrolStaff(server, staff, {
      email: 'dr.lee@clinic.example',
      name: 'Dr Ana Lee',
      role: 'clinician',
      username: 'ana.lee',
      password: 'listen twice and speak once',
    });
    await staff.locator('mcl-app nav a', { hasText: 'Appointment requests' }).click();
    const queue = staff.locator('mcl-appointment-requests-page');
    await queue.getByText('My knee hurts on the stairs').waitFor();
    assert.deepEqual(await axeViolations(staff), [], 'requests queue');
    await queue.getByRole('button', { name: /Find a time for/ }).click();
    await queue.getByLabel('Kind of visit').selectOption({ label: 'Follow-up visit (20 minutes)' });
    await queue.getByRole('button', { name: 'Show free times on those days' }).click();
    const time = queue.locator('.times button').first();
    const label = (await time.innerText()).replace(/^Book /, '');
    await time.click();
    await queue.getByText(/^Booked for .*They have been told\.$/).waitFor();
    await queue.getByText('No open requests.').waitFor();
    // The patient's app syncs (on focus, on a timer; here a reload) and shows the booked visit.
    await page.reload();
    await page
      .locator('mcl-appointments-page')
      .getByRole('heading', { name: 'Upcoming (1)' })
      .waitFor({ timeout: 20_000 });
    const card = await page.locator('mcl-appointments-page li.card').first().innerText();
    assert.match(card, /Follow-up visit/);
    assert.match(card, new RegExp(label.split(' · ')[1]!.replace(/\./g, '\\.')));
  });
});
