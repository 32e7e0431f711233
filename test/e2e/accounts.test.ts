import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser, runCli, startServer, type RunningServer } from './harness.js';

const shared = join(process.cwd(), '..', 'shared', 'fhir', 'patients');
const bundleFile = join(
  shared,
  readdirSync(shared).find((f) => f.startsWith('Reyna_Ziemann'))!,
);
const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as {
  entry: { resource: { resourceType: string; birthDate?: string } }[];
};
const birthDate = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource.birthDate!;
const PASSWORD = 'sunlight over the northern hills';

describe('a patient signs up with an activation code, verifies by email, signs in, and is signed out when idle', () => {
  let smtp: SMTPServer;
  const inbox: ParsedMail[] = [];
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

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
    server = await startServer({ env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, SESSION_IDLE_SECONDS: '65' } });
    browser = await launchBrowser();
    // bypassCSP only so axe can be injected; the CSP itself is checked in shell.test.ts.
    page = await (await browser.newContext({ bypassCSP: true })).newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  let code: string;
  it('the clinic imports the record and issues an activation code with the CLI', async () => {
    const imported = await runCli(server.dataDir, ['import', bundleFile, '--json']);
    assert.equal(imported.code, 0, imported.stderr);
    const patientId = (JSON.parse(imported.stdout.trim().split('\n')[0]!) as { patients: string[] }).patients[0]!;
    const issued = await runCli(server.dataDir, ['activation-code', patientId]);
    assert.equal(issued.code, 0, issued.stderr);
    code = issued.stdout.match(/[0-9A-Z]{4}(-[0-9A-Z]{4}){3}/)![0];
  });

  it('signs up in the browser and gets the verification mail over SMTP', async () => {
    await page.goto(server.origin + '/sign-up');
    const form = page.locator('mcl-sign-up-page');
    await form.locator('#activationCode').fill(code.toLowerCase().replace(/-/g, ' '));
    await form.locator('#birthDate').fill(birthDate);
    await form.locator('#email').fill('reyna@example.com');
    await form.locator('#username').fill('reyna');
    await form.locator('mcl-password-field #password').fill(PASSWORD);
    assert.deepEqual(await axeViolations(page), [], 'sign-up form, filled in');
    await form.getByRole('button', { name: 'Create my account' }).click();
    await form.getByRole('heading', { name: 'Check your email' }).waitFor();
    for (let i = 0; i < 100 && inbox.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(inbox.length, 1);
    assert.equal((inbox[0]!.to as { text: string }).text, 'reyna@example.com');
  });

  it('opens the link, confirms, and signs in', async () => {
    const link = inbox[0]!.text!.match(/https?:\/\/\S+verify-email#token=\S+/)![0];
    await page.goto(link);
    await page.locator('mcl-verify-email-page').getByRole('button', { name: 'Finish creating my account' }).click();
    await page.locator('mcl-verify-email-page .success').waitFor();
    await page.locator('mcl-verify-email-page a[href="/sign-in"]').click();
    const signIn = page.locator('mcl-sign-in-page');
    await signIn.locator('#login').fill('reyna');
    await signIn.locator('#password').fill(PASSWORD);
    await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    // No passkey or second factor yet: the app suggests one; a patient may skip.
    await page.locator('mcl-protect-page').getByRole('link', { name: 'Skip for now' }).click();
    await page.locator('mcl-home-page').waitFor();
    assert.deepEqual(await page.locator('mcl-app nav a').allInnerTexts(), [
      'Home',
      'Health record',
      'Messages',
      'Appointments',
      'Account',
      'Help',
    ]);
    await page.locator('mcl-app nav a', { hasText: 'Account' }).click();
    const activity = page.locator('mcl-security-page table');
    await activity.waitFor();
    assert.match(await activity.innerText(), /Signed in/);
    assert.match(await activity.innerText(), /Account created/);
    assert.match(await page.locator('mcl-security-page ul').innerText(), /\(this device\)/);
    assert.deepEqual(await axeViolations(page), [], 'Account page, signed in');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === '__Host-mcl_session')!;
    assert.deepEqual([session.httpOnly, session.secure, session.sameSite, session.path], [true, true, 'Lax', '/']);
  });

  it('warns before the idle limit, "Stay signed in" keeps the session, and at the limit returns to sign-in', async () => {
    // Something is being typed and not yet sent when the person walks away.
    await page.locator('mcl-app nav a', { hasText: 'Health record' }).click();
    await page.locator('mcl-records-page a', { hasText: 'Search your record' }).click();
    const words = page.locator('mcl-search-page #q');
    await words.waitFor();
    await words.pressSequentially('allergy to pollen', { delay: 20 });
    const warning = page.locator('mcl-idle-warning [role="alertdialog"]');
    await warning.waitFor({ timeout: 20_000 });
    assert.match(
      await page.locator('mcl-idle-warning .countdown').innerText(),
      /^Signing out in (1 minute|\d+ seconds?)$/,
    );
    const before = await page.evaluate(() => document.querySelector('mcl-app')!.session.idleExpiresAt!);
    await page.locator('mcl-idle-warning').getByRole('button', { name: 'Stay signed in' }).click();
    // The server moved the idle limit (the warning itself returns 5 s later with this short test limit).
    await page.waitForFunction((t) => document.querySelector('mcl-app')!.session.idleExpiresAt! > t + 1000, before);
    assert.equal(await page.evaluate(() => fetch('/api/session').then((r) => r.status)), 200);
    // Nothing more happens: the warning comes back, then the session ends on the server and the page follows.
    await page.locator('mcl-sign-in-page').waitFor({ timeout: 90_000 });
    assert.match(
      await page.locator('mcl-sign-in-page [role="status"]').innerText(),
      /signed out after a period of inactivity/,
    );
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    assert.equal(await page.evaluate(() => fetch('/api/session').then((r) => r.status)), 401);
  });

  it('signs back in and finds the unsent text where it was typed', async () => {
    const signIn = page.locator('mcl-sign-in-page');
    await signIn.locator('#login').fill('reyna');
    await signIn.locator('#password').fill(PASSWORD);
    await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    const words = page.locator('mcl-search-page #q');
    await words.waitFor();
    assert.equal(new URL(page.url()).pathname, '/records/search');
    await page.waitForFunction(() => {
      const el = document
        .querySelector('mcl-app')
        ?.shadowRoot?.querySelector('mcl-search-page')
        ?.shadowRoot?.querySelector<HTMLInputElement>('#q');
      return el?.value === 'allergy to pollen';
    });
    // It was kept sealed in the local record, not in the clear.
    const clear = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const r = indexedDB.open('mcl-vault');
        r.onsuccess = () => resolve(r.result);
      });
      const rows = await new Promise<unknown[]>((resolve) => {
        const req = db.transaction('drafts').objectStore('drafts').getAll();
        req.onsuccess = () => resolve(req.result);
      });
      db.close();
      return JSON.stringify(rows, (_k, v) =>
        v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? new TextDecoder('latin1').decode(v as ArrayBuffer) : v,
      );
    });
    assert.ok(!clear.includes('pollen'), 'the draft is not readable in IndexedDB');
  });

  it('kept an intact audit trail of it all', async () => {
    const r = await runCli(server.dataDir, ['audit', 'verify']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /audit log intact/);
  });
});
