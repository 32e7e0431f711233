import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { freePort, recordResources, runServerToExit, signInPatient } from './harness.js';
import { patientBundle, patientJourney } from './journey.js';

const PASSWORD = 'sunlight over the northern hills';
const EMAIL = 'reyna@example.com';
const PHONE = '+15075550188'; // fictional (555-01xx)
const HOUR = 3600_000;
const MINUTE = 60_000;

/** What the real server wrote to its outboxes for this patient: reminder mails (DATA_DIR/mail) and texts (DATA_DIR/sms). */
async function sentReminders(dataDir: string): Promise<{ mails: string[]; texts: string[] }> {
  const files = (dir: string) => {
    try {
      return readdirSync(join(dataDir, dir))
        .sort()
        .map((f) => join(dataDir, dir, f));
    } catch {
      return []; // nothing sent yet
    }
  };
  const mails: string[] = [];
  for (const file of files('mail')) {
    const mail = await simpleParser(readFileSync(file));
    if (/^Appointment reminder/.test(mail.subject ?? '') && JSON.stringify(mail.to).includes(EMAIL))
      mails.push(`${mail.subject}\n${mail.text}`);
  }
  const texts = files('sms')
    .map((f) => readFileSync(f, 'utf8'))
    .filter((t) => t.startsWith(`To: ${PHONE}\n`) && t.includes('Reminder:'));
  return { mails, texts };
}

describe('a booked visit sends its reminders at the lead times, by the chosen channels, exactly once (moved clock)', () => {
  const clockDir = mkdtempSync(join(tmpdir(), 'mcl-e2e-clock-'));
  const clockFile = join(clockDir, 'offset');
  writeFileSync(clockFile, '0'); // the server starts on the real time
  const journey = patientJourney(patientBundle('Reyna_Ziemann'), 'reyna', PASSWORD, {
    env: {
      NODE_ENV: 'test',
      TEST_CLOCK_FILE: clockFile,
      APPOINTMENT_REMINDERS: '24h,2h',
      REMINDER_POLL_SECONDS: '1',
      LOG_LEVEL: 'debug', // the reminder job's line for each pass
    },
  });
  after(() => rmSync(clockDir, { recursive: true, force: true }));
  let page: Page;
  /** Sets the server's clock to `at` (it runs on from there), by rewriting its TEST_CLOCK_FILE at once. */
  const moveClockTo = (at: number) => {
    writeFileSync(`${clockFile}.new`, String(Math.round(at - Date.now())));
    renameSync(`${clockFile}.new`, clockFile);
  };
  /** Waits until the reminder job has run `passes` times at or after `at` on the server's clock (its debug line). */
  const passesAfter = async (at: number, passes: number) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ran = journey.server
        .output()
        .split('\n')
        .slice(0, -1) // the last line may not be whole yet
        .filter((line) => line.includes('"reminders checked"'))
        .filter((line) => Date.parse((JSON.parse(line) as { at: string }).at) >= at).length;
      if (ran >= passes) return;
      if (Date.now() > deadline)
        throw new Error(`the reminder job did not run ${passes} times after ${new Date(at).toISOString()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /**
   * Moves the clock to `time` and waits until the job has run three times from there: the first pass sends what is
   * due (a pass logs its line after its mail and texts are written), the next two would send anything twice.
   */
  const at = async (time: number) => {
    moveClockTo(time);
    await passesAfter(time, 3);
    return sentReminders(journey.server.dataDir);
  };
  const counts = (sent: { mails: string[]; texts: string[] }) => ({
    mails: sent.mails.length,
    texts: sent.texts.length,
  });
  let visit: { start: number; when: string };
  let cancelled: { start: number; when: string };
  const clinicTime = (start: number) =>
    new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', dateStyle: 'full', timeStyle: 'short' }).format(
      start,
    );

  const appointments = () => page.locator('mcl-appointments-page');
  const book = async (day: number) => {
    await page.locator('mcl-app nav a', { hasText: 'Appointments' }).click();
    await appointments().getByRole('link', { name: 'Book a visit' }).click();
    const booking = page.locator('mcl-book-page');
    await booking.getByLabel('Kind of visit').selectOption({ label: 'Follow-up visit (20 minutes)' });
    await booking.getByLabel('With').selectOption({ label: 'Dr. Ana Lee (Primary care)' });
    await booking.getByRole('button', { name: 'Show free times' }).click();
    const times = booking.locator('section').nth(day).locator('button');
    await times.first().click();
    await booking.getByRole('button', { name: 'Book this time' }).click();
  };

  it('the patient adds a mobile number, chooses reminders by email and text, books two visits and cancels one', async () => {
    page = journey.page;
    await signInPatient(page, journey.server.origin, 'reyna', PASSWORD);
    await page.locator('mcl-app nav a', { hasText: 'Account' }).click();
    const contact = page.locator('mcl-contact-panel');
    await contact.getByLabel('Mobile number for text alerts').fill('+1 507 555 0188');
    await contact.getByRole('button', { name: 'Save mobile number' }).click();
    await contact.getByText('Text alerts now go to').waitFor();
    const notifications = page.locator('mcl-notifications-panel');
    await notifications.locator('mcl-notify-choices #appointmentReminder-email').check();
    await notifications.locator('mcl-notify-choices #appointmentReminder-text').check();
    await notifications.getByRole('button', { name: 'Save notification choices' }).click();
    await notifications.getByText('Your notification choices are saved.').waitFor();

    await book(2);
    await appointments().getByRole('heading', { name: 'Upcoming (1)' }).waitFor({ timeout: 20_000 });
    await book(4);
    await appointments().getByRole('heading', { name: 'Upcoming (2)' }).waitFor({ timeout: 20_000 });
    const later = appointments().locator('li.card').nth(1);
    await later.getByRole('button', { name: /^Cancel:/ }).click();
    await later.getByRole('button', { name: 'Cancel this appointment' }).click();
    await appointments().getByRole('heading', { name: 'Upcoming (1)' }).waitFor({ timeout: 20_000 });

    const visits = await recordResources(journey.server, 'reyna', PASSWORD, 'Appointment');
    const start = (status: string) => {
      const found = visits.filter((a) => a.status === status);
      assert.equal(found.length, 1, `one ${status} visit: ${JSON.stringify(visits.map((a) => a.status))}`);
      const ms = Date.parse(found[0]!.start as string);
      return { start: ms, when: clinicTime(ms) };
    };
    visit = start('booked');
    cancelled = start('cancelled');
    assert.ok(cancelled.start - visit.start > 24 * HOUR, 'the cancelled visit is days after the booked one');
    assert.deepEqual(
      counts(await sentReminders(journey.server.dataDir)),
      { mails: 0, texts: 0 },
      'nothing before any lead time',
    );
  });

  it('24 hours before: nothing just before, then one mail and one text, never again', async () => {
    const due = visit.start - 24 * HOUR;
    assert.deepEqual(counts(await at(due - 10 * MINUTE)), { mails: 0, texts: 0 });
    const sent = await at(due + MINUTE);
    assert.deepEqual(counts(sent), { mails: 1, texts: 1 });
    for (const words of [sent.mails[0]!, sent.texts[0]!]) {
      assert.ok(words.includes(`on ${visit.when} (America/Chicago time)`), words);
      assert.match(words, /at Main Street Clinic, 100 Main Street/);
      assert.match(words, /sign in to your portal or call/);
      assert.doesNotMatch(words, /Follow-up|Ana Lee|Primary care|Reyna|Ziemann/i, 'date, time and place only');
      assert.ok(!words.includes(cancelled.when), 'nothing about the cancelled visit');
    }
  });

  it('the next day the patient turns texts off: 2 hours before, only a mail, once', async () => {
    // The server is a day ahead now: the old session has run out; she signs in again in a fresh tab.
    page = await (await journey.browser.newContext({ bypassCSP: true })).newPage();
    await signInPatient(page, journey.server.origin, 'reyna', PASSWORD);
    await page.locator('mcl-app nav a', { hasText: 'Account' }).click();
    const notifications = page.locator('mcl-notifications-panel');
    assert.ok(await notifications.locator('mcl-notify-choices #appointmentReminder-text').isChecked());
    await notifications.locator('mcl-notify-choices #appointmentReminder-text').uncheck();
    await notifications.getByRole('button', { name: 'Save notification choices' }).click();
    await notifications.getByText('Your notification choices are saved.').waitFor();

    const due = visit.start - 2 * HOUR;
    assert.deepEqual(counts(await at(due - 10 * MINUTE)), { mails: 1, texts: 1 });
    const sent = await at(due + MINUTE);
    assert.deepEqual(counts(sent), { mails: 2, texts: 1 }, 'the second reminder by mail only');
    assert.ok(sent.mails[1]!.includes(`on ${visit.when} (America/Chicago time)`), sent.mails[1]);
  });

  it('the cancelled visit sends nothing at its lead times, nor does the visit once it has passed', async () => {
    for (const time of [cancelled.start - 24 * HOUR + MINUTE, cancelled.start - 2 * HOUR + MINUTE, cancelled.start])
      assert.deepEqual(counts(await at(time)), { mails: 2, texts: 1 });
    const { mails, texts } = await sentReminders(journey.server.dataDir);
    assert.ok([...mails, ...texts].every((words) => !words.includes(cancelled.when)));
  });
});

describe('the moved clock is for tests only', () => {
  it('a server with TEST_CLOCK_FILE and NODE_ENV=production refuses to start, naming the setting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcl-e2e-clock-'));
    try {
      writeFileSync(join(dir, 'offset'), String(7 * 24 * HOUR));
      const r = await runServerToExit({
        NODE_ENV: 'production',
        TEST_CLOCK_FILE: join(dir, 'offset'),
        DATA_DIR: join(dir, 'data'),
        PORT: String(await freePort()),
      });
      assert.equal(r.code, 1);
      assert.match(
        r.stderr.trim(),
        /^mayocarelink cannot start: TEST_CLOCK_FILE moves the server's clock and is for tests only: it needs NODE_ENV=test \(NODE_ENV is "production"\)\. Remove TEST_CLOCK_FILE\.$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
