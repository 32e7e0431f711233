import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
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
  let smtp: SMTPServer;
  const inbox: ParsedMail[] = [];
  let server: RunningServer;
  let browser: Browser;
  let parent: Page;
  let childId: string;

  async function mailTo(subject: RegExp, to: string): Promise<ParsedMail> {
    for (let i = 0; i < 300; i++) {
      const mail = inbox.find((m) => subject.test(m.subject ?? '') && (m.to as { text: string }).text.includes(to));
      if (mail) return mail;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no mail to ${to} like ${subject}: ${inbox.map((m) => m.subject).join('; ')}`);
  }

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
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _s, done) {
        simpleParser(stream).then((m) => (inbox.push(m), done()), done);
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const smtpPort = (smtp.server.address() as { port: number }).port;
    server = await startServer({
      env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, NODE_ENV: 'test', TEST_CLOCK_FILE: clockFile },
    });
    const imported = await runCli(server.dataDir, ['import', bundleFile, '--json']);
    assert.equal(imported.code, 0, imported.stderr);
    childId = (JSON.parse(imported.stdout.trim().split('\n')[0]!) as { patients: string[] }).patients[0]!;
    browser = await launchBrowser();
    parent = await (await browser.newContext({ bypassCSP: true })).newPage();
    await virtualAuthenticator(parent);
    parent.on('pageerror', (e) => console.log('PERR', e.message, e.stack));
    parent.on('response', (r) => { if (r.url().includes('/api/')) console.log('PRES', r.status(), r.url()); });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise<void>((r) => smtp.close(() => r()));
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
    await new Promise((r) => setTimeout(r, 3000));
    console.log('LINK', link, 'TEXT', await shownText(parent, 'mcl-caregiver-invite-page'));
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

});
