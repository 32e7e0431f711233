import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { smtpInbox, type SmtpInbox } from './smtp-inbox.js';
import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
  enrolStaff,
  launchBrowser,
  patientAccount,
  runCli,
  startServer,
  virtualAuthenticator,
  waitForController,
  type RunningServer,
} from './harness.js';
import { patientBundle } from './journey.js';

// [3/11], the proof: an adult son helps his mother. She invites him while setting up her account (the mail
// over SMTP); he signs up from the link, reads her results, writes to the care team for her, and the care team sees
// it as sent on her behalf. She narrows him to her record only (his Messages page says why they are gone), then
// ends his access: his next request is refused, his device's copy of her record is gone from IndexedDB, and her
// access log shows what he read. The audit chain verifies after all of it.
const bundleFile = patientBundle('Margery_Gibson');
const PASSWORD = 'the garden gate is painted blue';
const SON_PASSWORD = 'an early train along the coast';
const STAFF_PASSWORD = 'listen twice and speak once';
/** All the text a page element shows in its shadow root. */
const shownText = (page: Page, tag: string) =>
  page.locator(tag).evaluate((el) => el.shadowRoot!.textContent!.replace(/\s+/g, ' '));
const databases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));

describe('a family: a mother shares her portal with her son, narrows it, ends it, and reads who has seen her record', () => {
  let smtp: SmtpInbox;
  const mailTo = (subject: RegExp, to: string) => smtp.mailTo(subject, to);
  let server: RunningServer;
  let browser: Browser;
  let mother: Page;
  let son: Page;
  let clinician: Page;
  let patientId: string;

  before(async () => {
    smtp = await smtpInbox();
    server = await startServer({ env: { ...smtp.env } });
    ({ patientId } = await patientAccount(server, bundleFile, 'margery', PASSWORD, mailTo));
    browser = await launchBrowser();
    // bypassCSP only so axe can be injected; the CSP itself is checked in shell.test.ts.
    mother = await (await browser.newContext({ bypassCSP: true })).newPage();
    son = await (await browser.newContext({ bypassCSP: true })).newPage();
    clinician = await (await browser.newContext({ bypassCSP: true })).newPage();
    for (const page of [mother, son, clinician]) await virtualAuthenticator(page);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
  });

  it('Margery sets up her account and, as its last step, invites her son to help', async () => {
    await mother.goto(server.origin + '/sign-in');
    const signIn = mother.locator('mcl-sign-in-page');
    await signIn.locator('#login').fill('margery');
    await signIn.locator('#password').fill(PASSWORD);
    await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    await mother.locator('mcl-protect-page').getByRole('button', { name: 'Add a passkey' }).click();
    await mother.locator('mcl-protect-page').getByRole('button', { name: 'I have saved them' }).click();
    const step = mother.locator('mcl-add-caregiver-page');
    await step.getByRole('heading', { name: 'Add a caregiver (optional)' }).waitFor();
    const form = step.locator('mcl-invite-form');
    await form.getByLabel('Their name').fill('Tom Gibson');
    await form.getByLabel('Their email address').fill('tom@example.com');
    await form.getByLabel('Read your health record').check();
    await form.getByLabel('Read and write messages').check();
    await form.getByLabel('I have read and agree').check();
    assert.deepEqual(await axeViolations(mother), [], 'the set-up step, filled in');
    await form.getByRole('button', { name: 'Send the invitation' }).click();
    await step.locator('[role="status"]', { hasText: 'tom@example.com' }).waitFor();
    await step.getByRole('button', { name: 'Continue' }).click();
    await mother.locator('mcl-dashboard [role="status"]', { hasText: 'Up to date as of' }).waitFor({ timeout: 30_000 });
  });

  it('Tom signs up from the mailed link, protects his account, and sees "Viewing as: Margery"', async () => {
    const mail = await mailTo(/invited you to help/, 'tom@example.com');
    const link = mail.text!.match(/https?:\/\/\S+\/caregiver-invite#token=[A-Za-z0-9_-]+/)![0];
    await son.goto(link);
    const invite = son.locator('mcl-caregiver-invite-page');
    await invite.getByRole('heading', { name: /An invitation to help Margery/ }).waitFor();
    await invite.getByLabel('Choose a username').fill('tomgibson');
    await invite.locator('mcl-password-field #password').fill(SON_PASSWORD);
    await invite.getByRole('button', { name: 'Make my account and accept' }).click();
    await invite.getByRole('link', { name: 'Sign in now' }).click();
    const signIn = son.locator('mcl-sign-in-page');
    await signIn.locator('#login').fill('tomgibson');
    await signIn.locator('#password').fill(SON_PASSWORD);
    await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    await son.locator('mcl-protect-page').getByRole('button', { name: 'Add a passkey' }).click();
    await son.locator('mcl-protect-page').getByRole('button', { name: 'I have saved them' }).click();
    await son.locator('mcl-home-page').waitFor();
    const bar = son.locator('mcl-viewing-as');
    await bar.getByText('Viewing as:').waitFor();
    assert.match(
      await shownText(son, 'mcl-viewing-as'),
      /Viewing as: Margery\S* Gibson\S* \(you help them as a caregiver\)/,
    );
    await son.locator('mcl-dashboard [role="status"]', { hasText: 'Up to date as of' }).waitFor({ timeout: 30_000 });
    await waitForController(son);
    assert.deepEqual(await axeViolations(son), [], 'Home, viewing as Margery');
  });

  it('Tom reads her test results, from her own local record on his device', async () => {
    await son.locator('mcl-app nav a', { hasText: 'Health record' }).click();
    await son.locator('mcl-records-page a', { hasText: 'Test results' }).click();
    const results = son.locator('mcl-results-page');
    await results.locator('section.card').first().waitFor();
    // The bar is on this page too.
    assert.match(await shownText(son, 'mcl-viewing-as'), /Viewing as: Margery/);
    // What he reads is her record as she sees it herself.
    await mother.goto(server.origin + '/records/results');
    await mother.locator('mcl-results-page section.card').first().waitFor();
    const hers = await mother.locator('mcl-results-page section.card').allInnerTexts();
    const his = await results.locator('section.card').allInnerTexts();
    assert.ok(his.length > 0);
    assert.deepEqual(his, hers);
    assert.ok(
      (await databases(son)).includes(`mcl-vault-for-${patientId}`),
      'her record is kept in a database of its own',
    );
    assert.deepEqual(await axeViolations(son), [], 'her results, read by Tom');
  });

  it('Tom writes to the care team for her; the care team sees it as sent by Tom for Margery', async () => {
    await son.goto(server.origin + '/messages/new');
    const compose = son.locator('mcl-compose-page');
    await compose.getByLabel('To').selectOption({ label: 'Primary care team' });
    await compose.getByLabel('Subject').fill('Mum’s dizziness');
    await compose.getByLabel('Message').fill('My mother has felt dizzy in the mornings this week. Should she come in?');
    await compose.getByRole('button', { name: 'Send message' }).click();
    const list = son.locator('mcl-messages-page');
    await list.locator('li.card h2', { hasText: 'Mum’s dizziness' }).waitFor({ timeout: 20_000 });
    await list.locator('li.card', { hasText: 'Mum’s dizziness' }).getByRole('link').first().click();
    await son.locator('mcl-conversation-page').getByText('You, for Margery', { exact: false }).waitFor();

    await enrolStaff(
      server,
      clinician,
      // The CLI (the operator's tool) mails through the data folder's outbox.
      {
        email: 'dr.lee@clinic.example',
        name: 'Dr Ana Lee',
        role: 'clinician',
        username: 'ana.lee',
        password: STAFF_PASSWORD,
      },
    );
    await clinician.locator('mcl-app nav a', { hasText: 'Messages' }).click();
    const inbox = clinician.locator('mcl-message-inbox-page');
    await inbox
      .locator('li.card', { hasText: 'Mum’s dizziness' })
      .getByRole('button', { name: 'Mum’s dizziness' })
      .click();
    await inbox.getByText('My mother has felt dizzy').waitFor();
    assert.match(
      await shownText(clinician, 'mcl-message-inbox-page'),
      /Tom Gibson, for Margery\S* Gibson\S* \(sent on the patient’s behalf\)/,
    );
    assert.deepEqual(await axeViolations(clinician), [], 'the care team reads a message sent on behalf');

    // Margery sees it in her own messages, as written for her by Tom.
    await mother.goto(server.origin + '/messages');
    await mother.locator('mcl-messages-page li.card', { hasText: 'Mum’s dizziness' }).getByRole('link').first().click();
    await mother.locator('mcl-conversation-page').getByText('Tom Gibson, for you').waitFor({ timeout: 20_000 });
  });

  it('Margery narrows Tom to her record only; his Messages page says which permission is missing and where to add it', async () => {
    await mother.goto(server.origin + '/account/sharing');
    const sharing = mother.locator('mcl-sharing-page');
    const card = sharing.locator('ul.people > li', { hasText: 'Tom Gibson' });
    await card.getByText('Active', { exact: true }).waitFor();
    await card.getByRole('button', { name: 'Change what Tom Gibson may do' }).click();
    await sharing.getByLabel('Read and write messages').uncheck();
    await sharing.getByRole('button', { name: 'Save the changes' }).click();
    await sharing.locator('[role="status"]').first().waitFor();
    await mailTo(/changed what you may do/, 'tom@example.com');
    assert.doesNotMatch(await card.innerText(), /Read and write messages/);

    await son.goto(server.origin + '/messages');
    const messages = son.locator('mcl-messages-page');
    await messages.getByText('has not shared their messages with the care team with you').waitFor();
    const said = await shownText(son, 'mcl-messages-page');
    assert.match(said, /Read and write messages/);
    assert.match(said, /Account → Sharing/);
    assert.doesNotMatch(said, /Mum’s dizziness/);
    assert.deepEqual(await axeViolations(son), [], 'Messages, not shared');
    // The server says the same to a direct request.
    const direct = await son.evaluate(async (id) => {
      const r = await fetch('/api/messages', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Requested-With': 'mayocarelink',
          'Idempotency-Key': crypto.randomUUID(),
        },
        body: JSON.stringify({ patientId: id, recipient: 'x', subject: 's', body: 'b' }),
      });
      return { status: r.status, body: await r.json() };
    }, patientId);
    assert.equal(direct.status, 403, JSON.stringify(direct.body));
    assert.equal(direct.body.code, 'missing_scope');
    // Her record is still his to read.
    await son.goto(server.origin + '/records/results');
    await son.locator('mcl-results-page section.card').first().waitFor({ timeout: 20_000 });
  });

  it('Margery ends Tom’s access: his next request is refused and his copy of her record is deleted from his device', async () => {
    await mother.goto(server.origin + '/account/sharing');
    const sharing = mother.locator('mcl-sharing-page');
    const card = sharing.locator('ul.people > li', { hasText: 'Tom Gibson' });
    await card.getByRole('button', { name: 'End Tom Gibson’s access' }).click();
    await sharing.locator('mcl-confirm-dialog').getByRole('button', { name: 'End their access' }).click();
    await card.getByText('Ended', { exact: true }).waitFor();
    await mailTo(/ended your access/, 'tom@example.com');

    assert.ok((await databases(son)).includes(`mcl-vault-for-${patientId}`), 'the copy is there before his next sync');
    const feed = await son.evaluate(
      (id) => fetch(`/api/records/feed?patient=${encodeURIComponent(id)}`).then((r) => r.status),
      patientId,
    );
    assert.equal(feed, 404, 'the server refuses at once');
    // His next sync (the page comes back into focus) finds the access gone and deletes her record from his device.
    await son.evaluate(() => dispatchEvent(new Event('focus')));
    await son.locator('mcl-viewing-as [role="alert"]', { hasText: 'has ended' }).waitFor({ timeout: 30_000 });
    for (let i = 0; i < 50 && (await databases(son)).includes(`mcl-vault-for-${patientId}`); i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.ok(!(await databases(son)).includes(`mcl-vault-for-${patientId}`), 'her record is gone from his IndexedDB');
    await son.reload();
    await son.locator('mcl-results-page').getByText('No one is sharing their record with you').waitFor();
  });

  it('Margery’s access log shows what Tom read, and the sharing itself; the audit chain verifies', async () => {
    await mother.goto(server.origin + '/account/access-log');
    const log = mother.locator('mcl-access-log-page');
    await log.locator('tbody tr').first().waitFor();
    const person = log.getByLabel('Person');
    await person.locator('option', { hasText: 'Tom Gibson' }).first().waitFor({ state: 'attached' });
    await person.selectOption(
      (await person.locator('option', { hasText: 'Tom Gibson' }).first().getAttribute('value'))!,
    );
    await log.getByRole('button', { name: 'Apply' }).click();
    // The filtered page replaces the whole list: every row is Tom's.
    let rows: string[] = [];
    for (let i = 0; i < 100; i++) {
      rows = await log.locator('tbody tr').allInnerTexts();
      if (rows.length && rows.every((r) => /Tom Gibson/.test(r))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(rows.length > 0 && rows.every((r) => /Tom Gibson/.test(r)), rows.join('\n'));
    assert.ok(
      rows.some((r) => /Your record was (read|copied)/.test(r)),
      rows.join('\n'),
    );
    assert.deepEqual(await axeViolations(mother), [], 'the access log');
    const verified = await runCli(server.dataDir, ['audit', 'verify']);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /audit log intact/);
  });
});
