import { CURRENT_CAREGIVER_CONSENT } from '../../common/caregiver-consent.js';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { smtpInbox, type SmtpInbox } from './smtp-inbox.js';
import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
  launchBrowser,
  patientAccount,
  runCli,
  signInPatient,
  startServer,
  virtualAuthenticator,
  type RunningServer,
} from './harness.js';
import { patientBundle } from './journey.js';

// [3/11]: a patient invites a caregiver from Account → Sharing; the invitation comes over SMTP; the caregiver makes
// an account of their own from the link, signs in and protects it like any new account; the patient's Sharing
// page then shows them as active.
const bundleFile = patientBundle('Reyna_Ziemann');
const PASSWORD = 'sunlight over the northern hills';
const HELPER_PASSWORD = 'a long walk by the quiet river';
/** All the text a page element shows in its shadow root (innerText of a host is its light DOM only). */
const shownText = (page: Page, tag: string) =>
  page.locator(tag).evaluate((el) => el.shadowRoot!.textContent!.replace(/\s+/g, ' '));

describe('a patient invites a caregiver, who signs up from the emailed link and shows as active', () => {
  let smtp: SmtpInbox;
  const mailTo = (subject: RegExp, to: string) => smtp.mailTo(subject, to);
  let server: RunningServer;
  let browser: Browser;
  let patient: Page;
  let helper: Page;

  before(async () => {
    smtp = await smtpInbox();
    server = await startServer({ env: { ...smtp.env } });
    await patientAccount(server, bundleFile, 'reyna', PASSWORD, mailTo);
    browser = await launchBrowser();
    // bypassCSP only so axe can be injected; the CSP itself is checked in shell.test.ts.
    patient = await (await browser.newContext({ bypassCSP: true })).newPage();
    helper = await (await browser.newContext({ bypassCSP: true })).newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
  });

  it('the patient invites Sam from Account → Sharing, having read the consent text', async () => {
    await signInPatient(patient, server.origin, 'reyna', PASSWORD);
    await patient.locator('mcl-app nav a', { hasText: 'Account' }).click();
    await patient
      .locator('mcl-security-page')
      .getByRole('link', { name: /People who help you/ })
      .click();
    const sharing = patient.locator('mcl-sharing-page');
    await sharing.getByText('You do not share your portal with anyone.').waitFor();
    await sharing.getByRole('button', { name: 'Invite someone' }).click();
    const form = sharing.locator('mcl-invite-form');
    await form.getByLabel('Their name').fill('Sam Lee');
    await form.getByLabel('Their email address').fill('sam@example.com');
    await form.getByLabel('Read your health record').check();
    await form.getByLabel('Read and write messages').check();
    await form.locator('mcl-consent-text').getByText('Everything they open or send is recorded').waitFor();
    await form.getByLabel('I have read and agree').check();
    assert.deepEqual(await axeViolations(patient), [], 'the invitation form, filled in');
    await form.getByRole('button', { name: 'Send the invitation' }).click();
    await sharing.locator('[role="status"]', { hasText: 'We sent an invitation to sam@example.com' }).waitFor();
    const card = sharing.locator('ul.people > li', { hasText: 'Sam Lee' });
    await card.getByText('Invited', { exact: true }).waitFor();
    assert.match(await card.innerText(), /Read your health record[\s\S]*Read and write messages/);
    assert.match(
      await card.innerText(),
      new RegExp(`You accepted consent text version ${CURRENT_CAREGIVER_CONSENT.version}`),
    );
    assert.deepEqual(await axeViolations(patient), [], 'Sharing with an invitation');
  });

  it('Sam gets the invitation over SMTP and makes an account of their own from the link', async () => {
    const mail = await mailTo(/invited you to help/, 'sam@example.com');
    const link = mail.text!.match(/https?:\/\/\S+\/caregiver-invite#token=[A-Za-z0-9_-]+/)![0];
    assert.ok(link.startsWith(server.origin), link);
    await helper.goto(link);
    const invite = helper.locator('mcl-caregiver-invite-page');
    await invite.getByRole('heading', { name: /An invitation to help Reyna/ }).waitFor();
    const shown = await shownText(helper, 'mcl-caregiver-invite-page');
    assert.match(shown, /you may: ?Read their health record ?Read and write messages ?There is no end date/);
    assert.deepEqual(await axeViolations(helper), [], 'the invitation, opened from the mail');
    assert.equal(await invite.getByLabel('Your name').inputValue(), 'Sam Lee');
    await invite.getByLabel('Choose a username').fill('samlee');
    await invite.locator('mcl-password-field #password').fill(HELPER_PASSWORD);
    await invite.getByRole('button', { name: 'Make my account and accept' }).click();
    await invite.locator('[role="status"]', { hasText: 'Your account is ready' }).waitFor();
    assert.equal(new URL(helper.url()).hash, '', 'the spent token is out of the address bar');
  });

  it('Sam signs in and protects the new account with a passkey, as every new account does', async () => {
    await virtualAuthenticator(helper);
    await helper.locator('mcl-caregiver-invite-page').getByRole('link', { name: 'Sign in now' }).click();
    const signIn = helper.locator('mcl-sign-in-page');
    await signIn.locator('#login').fill('samlee');
    await signIn.locator('#password').fill(HELPER_PASSWORD);
    await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    const protect = helper.locator('mcl-protect-page');
    await protect.getByRole('button', { name: 'Add a passkey' }).click();
    await protect.getByRole('button', { name: 'I have saved them' }).click();
    // No record of their own to share: no "Add a caregiver" step for a caregiver's account.
    await helper.locator('mcl-home-page').waitFor();
    assert.equal(await helper.locator('mcl-add-caregiver-page').count(), 0);
    await helper.goto(server.origin + '/account/people');
    const people = helper.locator('mcl-people-page');
    await people.getByRole('heading', { name: /Reyna/ }).waitFor();
    assert.match(
      await shownText(helper, 'mcl-people-page'),
      /You may: ?Read their health record ?Read and write messages ?No end date/,
    );
    assert.deepEqual(await axeViolations(helper), [], 'People you help');
  });

  it("the patient's Sharing page now shows Sam as active, accepted with Sam's own account; both were mailed", async () => {
    await mailTo(/can now help with your portal account/, 'reyna@example.com');
    await mailTo(/You can now help/, 'sam@example.com');
    await patient.reload();
    const card = patient.locator('mcl-sharing-page ul.people > li', { hasText: 'Sam Lee' });
    await card.getByText('Active', { exact: true }).waitFor();
    assert.match(await card.innerText(), /with the account of Sam Lee \(sam@example\.com\)/);
    assert.deepEqual(await axeViolations(patient), [], 'Sharing with an active caregiver');
  });

  it('kept an intact audit trail of it all', async () => {
    const r = await runCli(server.dataDir, ['audit', 'verify']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /audit log intact/);
  });
});
