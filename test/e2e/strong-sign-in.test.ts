import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, CDPSession, Locator, Page } from 'playwright-core';
import {
  axeViolations,
  mailWithSubject,
  launchBrowser,
  patientAccount,
  runCli,
  startServer,
  type RunningServer,
  virtualAuthenticator,
} from './harness.js';

const shared = join(process.cwd(), '..', 'shared', 'fhir', 'patients');
const bundleFile = join(
  shared,
  readdirSync(shared).find((f) => f.startsWith('Reyna_Ziemann'))!,
);
const PASSWORD = 'sunlight over the northern hills';
const STEP_UP_SECONDS = 20;

describe('strong sign-in in Chromium with a virtual authenticator: passkey, app codes, recovery codes, step-up', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  let recoveryCodes: string[];
  let totpSecret: string;

  const signInPage = () => page.locator('mcl-sign-in-page');
  const signOut = async () => {
    await presence(false); // the sign-in page's autofill request must wait (see presence below)
    const autofill = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/session/passkey-options');
    await page.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
    await signInPage().waitFor();
    // The autofill request reaches the authenticator right after its options arrive: let it get there, with
    // presence off, before anything turns presence on.
    await autofill;
    await page.waitForTimeout(300);
  };
  /**
   * Chromium's virtual authenticator answers even a conditional (autofill) request at once when it simulates
   * presence, as if the person had picked the passkey from the list; a request that reaches it while presence is
   * off waits for good. Presence is turned off before the sign-in page opens (its autofill request then waits),
   * and on just before a passkey button is pressed.
   */
  const presence = (enabled: boolean) =>
    cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled });
  /**
   * Clicks a passkey button with presence on, and resolves with the server's answer to the assertion. (The virtual
   * authenticator takes presence as it is when a request reaches it: the sign-in page's autofill request, made
   * while presence was off, stays pending until the click's own request cancels it.)
   */
  const answerWithPasskey = async (button: Locator, answerPath: RegExp) => {
    await presence(true);
    const answered = page.waitForResponse(
      (r) => answerPath.test(new URL(r.url()).pathname) && r.request().method() === 'POST',
    );
    await button.click();
    return answered;
  };
  const overrideBits = (bits: { isBogusSignature?: boolean; isBadUV?: boolean; isBadUP?: boolean }) =>
    cdp.send('WebAuthn.setResponseOverrideBits', {
      authenticatorId,
      isBogusSignature: false,
      isBadUV: false,
      isBadUP: false,
      ...bits,
    });

  before(async () => {
    server = await startServer({ env: { STEP_UP_SECONDS: String(STEP_UP_SECONDS) } });
    // A verified patient account, made through the public API as the sign-up page would.
    await patientAccount(server, bundleFile, 'reyna', PASSWORD);

    browser = await launchBrowser();
    const context = await browser.newContext({ bypassCSP: true }); // bypassCSP only so axe can be injected
    page = await context.newPage();
    page.on('dialog', (d) => void d.accept()); // "Remove this passkey?" confirmations
    // Chromium's virtual authenticator over the DevTools protocol (ENVIRONMENT.md): a platform authenticator with
    // resident keys, user verification and PRF, that answers without a person.
    ({ cdp, authenticatorId } = await virtualAuthenticator(page, { prf: true }));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('after a password sign-in, the app guides the patient to add a passkey, and shows ten recovery codes once', async () => {
    await page.goto(server.origin + '/sign-in');
    await signInPage().locator('#login').fill('reyna');
    await signInPage().locator('#password').fill(PASSWORD);
    await signInPage().locator('form button[type="submit"]').click();
    const protect = page.locator('mcl-protect-page');
    await protect.getByRole('heading', { name: 'Protect your account' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'protect page');
    await protect.getByRole('button', { name: 'Add a passkey' }).click();
    const codes = protect.locator('mcl-recovery-codes li');
    await codes.first().waitFor();
    recoveryCodes = await codes.allInnerTexts();
    assert.equal(recoveryCodes.length, 10);
    assert.deepEqual(await axeViolations(page), [], 'recovery codes');
    const credentials = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.credentials.length, 1);
    assert.equal(credentials.credentials[0]!.isResidentCredential, true);
    await protect.getByRole('button', { name: 'I have saved them' }).click();
    // The last, optional set-up step: adding a caregiver, skipped here.
    const addCaregiver = page.locator('mcl-add-caregiver-page');
    await addCaregiver.getByRole('heading', { name: 'Add a caregiver (optional)' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'add a caregiver step');
    await addCaregiver.getByRole('button', { name: 'Skip this step' }).click();
    await page.locator('mcl-home-page').waitFor();
  });

  it("signs in with the passkey alone: from the browser's passkey autofill, and with the button", async () => {
    await signOut();
    await presence(true);
    // Autofill: the sign-in form asks the browser for a conditional request as it opens.
    await page.reload();
    await page.locator('mcl-home-page').waitFor();
    let session = await page.evaluate(() => fetch('/api/session').then((r) => r.json()));
    assert.equal(session.authLevel, 'passkey');
    assert.equal(session.account.username, 'reyna');
    // The button: the pending autofill request is replaced by a modal one.
    await signOut();
    await answerWithPasskey(
      signInPage().getByRole('button', { name: 'Sign in with a passkey' }),
      /^\/api\/session\/passkey$/,
    );
    await page.locator('mcl-home-page').waitFor();
    session = await page.evaluate(() => fetch('/api/session').then((r) => r.json()));
    assert.equal(session.authLevel, 'passkey');
  });

  it('refuses a bogus signature and a cleared UV bit, with a sentence for the person', async () => {
    await signOut();
    for (const bits of [{ isBogusSignature: true }, { isBadUV: true }]) {
      await overrideBits(bits);
      const refused = await answerWithPasskey(
        signInPage().getByRole('button', { name: 'Sign in with a passkey' }),
        /^\/api\/session\/passkey$/,
      );
      assert.equal(refused.status(), 401, JSON.stringify(bits));
      const alert = signInPage().locator('[role="alert"]');
      await alert.waitFor();
      assert.match(await alert.innerText(), /could not be verified/, JSON.stringify(bits));
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.equal(await page.evaluate(() => fetch('/api/session').then((r) => r.status)), 401);
    }
    await overrideBits({});
    const failures = await runCli(server.dataDir, ['audit', 'verify']);
    assert.equal(failures.code, 0);
  });

  it('sets up an authenticator app from Account → Security with a code computed here', async () => {
    // Two failures above: the passkey counter is below the free five, so this sign-in goes straight through.
    await answerWithPasskey(
      signInPage().getByRole('button', { name: 'Sign in with a passkey' }),
      /^\/api\/session\/passkey$/,
    );
    await page.locator('mcl-home-page').waitFor();
    await page.locator('mcl-app nav a', { hasText: 'Account' }).click();
    const panel = page.locator('mcl-factors-panel');
    await panel.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const key = panel.locator('#totp-key');
    await key.waitFor();
    assert.equal(
      await panel.locator('img.qr').getAttribute('alt'),
      'QR code for your authenticator app. If you cannot scan it, type the key shown below.',
    );
    totpSecret = (await key.innerText()).replace(/\s/g, '');
    const code = TOTP.generate({ secret: Secret.fromBase32(totpSecret), digits: 6, period: 30, algorithm: 'SHA1' });
    await panel.locator('#totp-code').fill(code);
    await panel.getByRole('button', { name: 'Confirm' }).click();
    await panel.locator('[role="status"]', { hasText: 'authenticator app is set up' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'Account → Security with factors');
  });

  it('signs in with password + app code (a code is accepted once), then with a recovery code', async () => {
    await signOut();
    await signInPage().locator('#login').fill('reyna');
    await signInPage().locator('#password').fill(PASSWORD);
    await signInPage().locator('form button[type="submit"]').click();
    const second = page.locator('mcl-second-factor');
    await second.locator('#code').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'second step');
    // The next step's code: inside the ±1 window, and later than the one used to confirm the app.
    const next = TOTP.generate({
      secret: Secret.fromBase32(totpSecret),
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
      timestamp: Date.now() + 30_000,
    });
    await second.locator('#code').fill(next);
    await second.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('mcl-home-page').waitFor();
    assert.equal((await page.evaluate(() => fetch('/api/session').then((r) => r.json()))).authLevel, 'mfa');

    await signOut();
    await signInPage().locator('#login').fill('reyna');
    await signInPage().locator('#password').fill(PASSWORD);
    await signInPage().locator('form button[type="submit"]').click();
    await second.locator('#code').fill(next);
    await second.getByRole('button', { name: 'Confirm' }).click();
    await second.locator('[role="alert"]', { hasText: 'already been used' }).waitFor();
    await second.getByRole('button', { name: 'Use a recovery code' }).click();
    await second.locator('#code').fill(recoveryCodes[0]!);
    await second.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('mcl-home-page').waitFor();
    const mail = await mailWithSubject(server.dataDir, /A recovery code was used/);
    assert.equal((mail.to as { text: string }).text, 'reyna@example.com');
  });

  it('asks to confirm it is you before removing a passkey when the sign-in is older than the step-up window', async () => {
    await page.locator('mcl-app nav a', { hasText: 'Account' }).click();
    const panel = page.locator('mcl-factors-panel');
    const remove = panel.locator('ul.keys button', { hasText: 'Remove' });
    await remove.waitFor();
    await page.waitForTimeout((STEP_UP_SECONDS + 1) * 1000);
    await remove.click();
    const dialog = panel.locator('mcl-reauth-dialog dialog[open]');
    await dialog.waitFor();
    assert.deepEqual(await axeViolations(page), [], 'step-up dialog');
    await answerWithPasskey(
      dialog.getByRole('button', { name: 'Confirm with my passkey' }),
      /^\/api\/session\/reauth\/passkey$/,
    );
    await panel.locator('[role="status"]', { hasText: 'removed' }).waitFor();
    assert.equal(await panel.locator('ul.keys li').count(), 0);
    const audit = await page.evaluate(() => fetch('/api/audit?limit=50').then((r) => r.json()));
    const actions = (audit.entries as { action: string }[]).map((e) => e.action);
    for (const action of [
      'passkey.added',
      'passkey.failed',
      'totp.added',
      'recovery-code.used',
      'reauth',
      'passkey.removed',
    ])
      assert.ok(actions.includes(action), action);
  });
});
