import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smtpInbox, type SmtpInbox } from './smtp-inbox.js';
import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
  launchBrowser,
  mailWithSubject,
  runCli,
  startServer,
  virtualAuthenticator,
  type RunningServer,
} from './harness.js';
import { patientBundle } from './journey.js';

// [3/11] minors: the care team gives a parent access to a child's record (CLI, activation link by mail). The
// clinic's age rules (the demo clinic: from 12 only appointments, from 18 nothing) apply on every request by the
// child's birth date in the clinic's time zone: the server's clock is moved past her 12th and 18th birthdays.
const bundleFile = patientBundle('Versie_Botsford'); // born 2018-05-22
const PARENT_PASSWORD = 'a kite above the harbour wall';
const shownText = (page: Page, tag: string) =>
  page.locator(tag).evaluate((el) => el.shadowRoot!.textContent!.replace(/\s+/g, ' '));
const databases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));

describe('a parent set up by the care team reads a child’s record, narrowed at 12 and ended at 18 (moved clock)', () => {
  const clockDir = mkdtempSync(join(tmpdir(), 'mcl-e2e-clock-'));
  const clockFile = join(clockDir, 'offset');
  writeFileSync(clockFile, '0');
  /** Sets the server's clock to `at` (it runs on from there). */
  const setClock = (at: string) => {
    writeFileSync(`${clockFile}.new`, String(Date.parse(at) - Date.now()));
    renameSync(`${clockFile}.new`, clockFile);
  };
  let smtp: SmtpInbox;
  const mailTo = (subject: RegExp, to: string) => smtp.mailTo(subject, to);
  let server: RunningServer;
  let browser: Browser;
  let parent: Page;
  let childId: string;

  /** Signs the parent in again (the moved clock ended the session): the password, then the passkey. */
  async function signInAgain() {
    await parent.goto(server.origin + '/sign-in');
    const signIn = parent.locator('mcl-sign-in-page');
    // The passkey autofill may sign in by itself (the virtual authenticator answers at once).
    await parent.waitForURL((u) => u.pathname !== '/sign-in', { timeout: 3000 }).catch(() => {});
    if (new URL(parent.url()).pathname !== '/sign-in') return;
    await signIn.locator('#login').fill('dana');
    await signIn.locator('#password').fill(PARENT_PASSWORD);
    await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    const passkey = signIn.getByRole('button', { name: 'Use my passkey' });
    await Promise.race([
      passkey.waitFor().then(() => passkey.click()),
      parent.waitForURL((u) => u.pathname !== '/sign-in'),
    ]);
    await parent.waitForURL((u) => u.pathname !== '/sign-in');
  }

  before(async () => {
    smtp = await smtpInbox();
    server = await startServer({
      env: { ...smtp.env, NODE_ENV: 'test', TEST_CLOCK_FILE: clockFile },
    });
    const imported = await runCli(server.dataDir, ['import', bundleFile, '--json']);
    assert.equal(imported.code, 0, imported.stderr);
    childId = (JSON.parse(imported.stdout.trim().split('\n')[0]!) as { patients: string[] }).patients[0]!;
    browser = await launchBrowser();
    parent = await (await browser.newContext({ bypassCSP: true })).newPage();
    await virtualAuthenticator(parent);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
    rmSync(clockDir, { recursive: true, force: true });
  });

  it('the care team sets up the parent from the CLI; the parent makes an account from the mailed link', async () => {
    const added = await runCli(server.dataDir, [
      'guardian',
      'add',
      '--patient',
      childId,
      '--name',
      'Dana Botsford',
      '--email',
      'dana@example.com',
      '--authority-checked',
    ]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /[0-9A-Z]{4}(-[0-9A-Z]{4}){3}/, 'an activation code to hand over on paper');
    // The CLI sends through the data folder's outbox (the operator's tool has no SMTP settings here).
    const mail = await mailWithSubject(server.dataDir, /./, 5000, 'dana@example.com');
    const link = String(mail.text).match(/https?:\/\/\S+\/caregiver-invite#token=[A-Za-z0-9_-]+/)![0];
    await parent.goto(link.replace(/^https?:\/\/[^/]+/, server.origin));
    const invite = parent.locator('mcl-caregiver-invite-page');
    await invite.getByRole('heading', { name: /Versie/ }).waitFor();
    assert.deepEqual(await axeViolations(parent), [], 'the guardian’s activation page');
    await invite.getByLabel('Choose a username').fill('dana');
    await invite.locator('mcl-password-field #password').fill(PARENT_PASSWORD);
    await invite.getByRole('button', { name: /Make my account/ }).click();
    await invite.getByRole('link', { name: 'Sign in now' }).click();
    await mailTo(/You can now use the portal for Versie/, 'dana@example.com');
    const signIn = parent.locator('mcl-sign-in-page');
    await signIn.locator('#login').fill('dana');
    await signIn.locator('#password').fill(PARENT_PASSWORD);
    await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    await parent.locator('mcl-protect-page').getByRole('button', { name: 'Add a passkey' }).click();
    await parent.locator('mcl-protect-page').getByRole('button', { name: 'I have saved them' }).click();
    await parent.locator('mcl-viewing-as').getByText('Viewing as:').waitFor();
    assert.match(await shownText(parent, 'mcl-viewing-as'), /Versie\S* Botsford\S* \(you are their guardian\)/);
  });

  it('at 8 the parent reads her record and her appointments', async () => {
    await parent.goto(server.origin + '/records/results');
    await parent.locator('mcl-results-page section.card').first().waitFor({ timeout: 30_000 });
    await parent.goto(server.origin + '/appointments');
    await parent.locator('mcl-appointments-page h1').waitFor();
    assert.doesNotMatch(await shownText(parent, 'mcl-appointments-page'), /guardian you do not have access/);
    assert.ok((await databases(parent)).includes(`mcl-vault-for-${childId}`));
  });

  it('from her 12th birthday (midnight in the clinic’s time zone) only appointments: the record page says why', async () => {
    setClock('2030-05-22T12:00:00Z'); // 07:00 in Chicago on her 12th birthday
    await signInAgain();
    await parent.goto(server.origin + '/records');
    const records = parent.locator('mcl-records-page');
    await records.getByText('As Versie', { exact: false }).waitFor({ timeout: 20_000 });
    assert.match(await shownText(parent, 'mcl-records-page'), /guardian you do not have access to their health record/);
    assert.deepEqual(await axeViolations(parent), [], 'a record page a guardian no longer sees');
    const feed = await parent.evaluate(
      (id) =>
        fetch(`/api/records/patients`)
          .then((r) => r.json())
          .then((b) => b.patients.find((p: { id: string }) => p.id === id)),
      childId,
    );
    assert.deepEqual(feed.scopes, ['appointments']);
    await parent.goto(server.origin + '/appointments');
    await parent.locator('mcl-appointments-page h1').waitFor();
    assert.doesNotMatch(await shownText(parent, 'mcl-appointments-page'), /do not have access/);
  });

  it('from her 18th birthday the access has ended, and her record is deleted from the parent’s device', async () => {
    setClock('2036-05-22T12:00:00Z');
    await signInAgain();
    await parent.goto(server.origin + '/records');
    await parent
      .locator('mcl-records-page')
      .getByText('No one is sharing their record with you')
      .waitFor({ timeout: 20_000 });
    for (let i = 0; i < 50 && (await databases(parent)).includes(`mcl-vault-for-${childId}`); i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.ok(!(await databases(parent)).includes(`mcl-vault-for-${childId}`), 'her record is gone from the device');
    const verified = await runCli(server.dataDir, ['audit', 'verify']);
    assert.equal(verified.code, 0, verified.stderr);
  });
});
