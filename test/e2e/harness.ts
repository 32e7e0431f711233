import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from '../../scripts/chromium.mjs';

const root = process.cwd();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  origin: string;
  port: number;
  dataDir: string;
  publicDir: string;
  output(): string;
  /** Kills the server at once (SIGKILL: no shutdown, requests in flight lost); its data stays for `restart`. */
  crash(): Promise<void>;
  /** Starts the server again on the same port and data after `crash`. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the real built server (`node dist/server/main.js`, as `npm start` does after building) on a free port with a
 * temp data folder, and waits until /api/health answers. `copyPublic` serves a private copy of the build so a test
 * may change it (e.g. to publish a new version).
 */
export async function startServer(
  options: { env?: Record<string, string>; copyPublic?: boolean } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'mcl-e2e-data-'));
  let publicDir = join(root, 'dist', 'public');
  if (options.copyPublic) {
    publicDir = mkdtempSync(join(tmpdir(), 'mcl-e2e-public-'));
    cpSync(join(root, 'dist', 'public'), publicDir, { recursive: true });
  }
  let output = '';
  const origin = `http://localhost:${port}`;
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(process.execPath, ['dist/server/main.js'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        PUBLIC_DIR: publicDir,
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = child;
    started.stdout!.on('data', (d) => (output += d));
    started.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`server exited with ${started.exitCode}: ${output}`);
      try {
        if ((await fetch(`${origin}/api/health`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`server did not become healthy: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await launch();
  return {
    origin,
    port,
    dataDir,
    publicDir,
    output: () => output,
    crash: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    restart: launch,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
      if (options.copyPublic) rmSync(publicDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium with the flags that keep it off the closed network (scripts/chromium.mjs). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}

/**
 * A browser with a profile on disk ("the same phone"): closing it and launching again on `dir` keeps the service
 * worker, IndexedDB and storage, as a phone keeps them across restarts. `offline` starts it with no network.
 */
export function launchPhone(dir: string, options: { offline?: boolean } = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, {
    ...chromiumLaunchOptions,
    bypassCSP: true,
    ...(options.offline ? { offline: true } : {}),
  });
}

/** Runs the built operator CLI (`node dist/server/cli.js …`) against a server's data folder. */
export function runCli(
  dataDir: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/server/cli.js', ...args], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `node dist/server/main.js` to its end with the given environment; for start-up failures. */
export function runServerToExit(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/server/main.js'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not exit: ${stdout}${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe (WCAG 2.1 A/AA and best practices) on the page as it is and returns the violations, one line each. The
 * page's context must be made with `bypassCSP: true`: the app's CSP rightly refuses the injected script.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await (window as any).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join('; ')}`);
  });
}

/** Waits (mail goes out in the background) for a mail in the outbox whose subject matches, and returns it. */
export async function mailWithSubject(dataDir: string, subject: RegExp, timeoutMs = 5000, to?: string) {
  const { simpleParser } = await import('mailparser');
  const dir = join(dataDir, 'mail');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let files: string[] = [];
    try {
      files = readdirSync(dir).sort().reverse();
    } catch {
      // no mail yet
    }
    for (const f of files) {
      const mail = await simpleParser(readFileSync(join(dir, f)));
      if (subject.test(mail.subject ?? '') && (!to || JSON.stringify(mail.to ?? '').includes(to))) return mail;
    }
    if (Date.now() > deadline) throw new Error(`no mail with a subject like ${subject}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Finds the mail to `to` whose subject matches: in the data folder's outbox by default, or an SMTP test inbox. */
export type MailReader = (subject: RegExp, to: string) => Promise<{ text?: string | false }>;

/**
 * A verified patient account for the record of `bundleFile`, made as a patient would: the clinic imports the
 * bundle and issues an activation code (CLI), the patient signs up (API) and opens the emailed link (read with
 * `readMail` when the server sends over SMTP).
 */
export async function patientAccount(
  server: RunningServer,
  bundleFile: string,
  username: string,
  password: string,
  readMail?: MailReader,
): Promise<{ patientId: string }> {
  const imported = await runCli(server.dataDir, ['import', bundleFile, '--json']);
  if (imported.code !== 0) throw new Error(imported.stderr);
  const patientId = (JSON.parse(imported.stdout.trim().split('\n')[0]!) as { patients: string[] }).patients[0]!;
  const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as {
    entry: { resource: { resourceType: string; birthDate?: string } }[];
  };
  const birthDate = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource.birthDate!;
  await signUpWithActivationCode(server, patientId, birthDate, username, password, readMail);
  return { patientId };
}

/**
 * An account for a patient already on the server (imported, or one of the demo clinic's): the clinic issues an
 * activation code (CLI), the patient signs up with it and their date of birth (API) and opens the emailed link.
 */
export async function signUpWithActivationCode(
  server: RunningServer,
  patientId: string,
  birthDate: string,
  username: string,
  password: string,
  readMail: MailReader = (subject, to) => mailWithSubject(server.dataDir, subject, 5000, to),
): Promise<void> {
  const code = (await runCli(server.dataDir, ['activation-code', patientId])).stdout.match(
    /[0-9A-Z]{4}(-[0-9A-Z]{4}){3}/,
  )![0];
  const headers = { 'Content-Type': 'application/json', Origin: server.origin, 'X-Requested-With': 'mayocarelink' };
  const signup = await fetch(`${server.origin}/api/signup`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      method: 'activation-code',
      activationCode: code,
      birthDate,
      email: `${username}@example.com`,
      username,
      password,
    }),
  });
  if (signup.status !== 202) throw new Error(`sign-up: ${signup.status} ${await signup.text()}`);
  const token = /#token=([A-Za-z0-9_-]+)/.exec(
    String((await readMail(/^Confirm your email/, `${username}@example.com`)).text),
  )![1];
  const confirmed = await fetch(`${server.origin}/api/signup/confirm`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ token }),
  });
  if (confirmed.status !== 201) throw new Error(`confirm: ${confirmed.status} ${await confirmed.text()}`);
}

/**
 * A staff member set up as the clinic does it: `staff create` (CLI) mails a set-up link; in `page` (whose context
 * has a CDP virtual authenticator) the person follows it, chooses a username and password, and must add a passkey
 * before anything else (no "Skip for now" for staff). Ends signed in with the passkey, on Home.
 */
export async function enrolStaff(
  server: RunningServer,
  page: Page,
  who: { email: string; name: string; role: string; username: string; password: string },
): Promise<void> {
  const created = await runCli(server.dataDir, [
    'staff',
    'create',
    '--email',
    who.email,
    '--name',
    who.name,
    '--role',
    who.role,
  ]);
  if (created.code !== 0) throw new Error(created.stderr);
  const mail = await mailWithSubject(server.dataDir, /staff/i);
  if (!mail.to || !JSON.stringify(mail.to).includes(who.email))
    throw new Error(`the set-up mail went to ${JSON.stringify(mail.to)}`);
  const link = /https?:\/\/\S+staff-enrol#token=\S+/.exec(mail.text!)![0];
  await page.goto(link.replace(/^https?:\/\/[^/]+/, server.origin));
  const enrol = page.locator('mcl-staff-enrol-page');
  await enrol.locator('#username').fill(who.username);
  await enrol.locator('mcl-password-field #password').fill(who.password);
  await enrol.locator('form button[type="submit"]').click();
  const protect = page.locator('mcl-protect-page');
  await protect.getByRole('heading', { name: 'Protect your account' }).waitFor();
  if ((await protect.getByRole('link', { name: 'Skip for now' }).count()) !== 0)
    throw new Error('staff could skip adding a passkey');
  await protect.getByRole('button', { name: 'Add a passkey' }).click();
  await page.locator('mcl-home-page').waitFor();
}

/**
 * Signs a patient in with a password on a fresh page (skipping the passkey suggestion) and waits until the first
 * download of the record has finished on Home. `shared`: "This is a shared or public computer" is ticked first.
 */
export async function signInPatient(
  page: Page,
  origin: string,
  login: string,
  password: string,
  options: { shared?: boolean } = {},
): Promise<void> {
  await page.goto(origin + '/sign-in');
  const signIn = page.locator('mcl-sign-in-page');
  await signIn.locator('#login').fill(login);
  await signIn.locator('#password').fill(password);
  if (options.shared) await signIn.getByLabel('This is a shared or public computer').check();
  await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('mcl-protect-page').getByRole('link', { name: 'Skip for now' }).click();
  await page.locator('mcl-dashboard [role="status"]', { hasText: 'Up to date as of' }).waitFor({ timeout: 30_000 });
}

/**
 * Chromium's virtual authenticator over the DevTools protocol (ENVIRONMENT.md) for `page`: a platform
 * authenticator with resident keys and user verification that answers without a person; `prf` adds the PRF
 * extension (hmac-secret). It belongs to this page (tab) only. Returns the session and the authenticator's id.
 */
export async function virtualAuthenticator(
  page: Page,
  options: { prf?: boolean } = {},
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      ...(options.prf ? { hasPrf: true } : {}),
    },
  });
  return { cdp, authenticatorId };
}

/** Account → This device: keeps the record for offline use behind `pin`, and waits until it says so. */
export async function keepOfflineWithPin(page: Page, pin: string): Promise<void> {
  await page.locator('mcl-app nav a', { hasText: 'Account' }).click();
  const panel = page.locator('mcl-device-panel');
  await panel.getByLabel('New PIN for this device').fill(pin);
  await panel.getByLabel('The same PIN again').fill(pin);
  await panel.getByRole('button', { name: 'Keep my record with this PIN' }).click();
  await panel.getByText('with this PIN you can open your record').waitFor();
}

/**
 * Signs in with a password and adds a passkey when asked (the page needs a virtual authenticator), skips the
 * optional "Add a caregiver" step that follows, and waits until the first download of the record has finished on
 * Home and the service worker controls the page.
 */
export async function signInAddingPasskey(page: Page, origin: string, login: string, password: string): Promise<void> {
  await page.goto(origin + '/sign-in');
  const signIn = page.locator('mcl-sign-in-page');
  await signIn.locator('#login').fill(login);
  await signIn.locator('#password').fill(password);
  await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('mcl-protect-page').getByRole('button', { name: 'Add a passkey' }).click();
  await page.locator('mcl-protect-page').getByRole('button', { name: 'I have saved them' }).click();
  await page.locator('mcl-add-caregiver-page').getByRole('button', { name: 'Skip this step' }).click();
  await page.locator('mcl-dashboard [role="status"]', { hasText: 'Up to date as of' }).waitFor({ timeout: 30_000 });
  await waitForController(page);
}

/**
 * Signs out, cuts the network and opens the sign-in page (the service worker answers it): where a record kept on
 * the device is opened with its PIN or passkey. The caller gives the network back (`context.setOffline(false)`).
 */
export async function signOutAndGoOffline(page: Page, origin: string): Promise<void> {
  await page.locator('mcl-app nav button', { hasText: 'Sign out' }).click();
  await page.locator('mcl-sign-in-page').waitFor();
  await page.context().setOffline(true);
  await page.goto(origin + '/sign-in');
}

/** Signs in adding a passkey (`signInAddingPasskey`), then keeps the record for offline use with it (its PRF output). */
export async function keepOfflineWithPasskey(
  page: Page,
  origin: string,
  login: string,
  password: string,
): Promise<void> {
  await signInAddingPasskey(page, origin, login, password);
  await page.locator('mcl-app nav a', { hasText: 'Account' }).click();
  const panel = page.locator('mcl-device-panel');
  await panel.getByRole('button', { name: 'Use my passkey on this device' }).click();
  await panel.getByText('your passkey opens your record on this device').waitFor();
}

/** Waits until the service worker controls the page (it then answers navigations offline). */
export async function waitForController(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
}

/**
 * What the server holds in a patient's record, as their app would sync it: signs in as `login` (API), reads the
 * whole change feed of their own record, and returns the current resources of `type` (one per id).
 */
export async function recordResources(
  server: RunningServer,
  login: string,
  password: string,
  type: string,
): Promise<Record<string, any>[]> {
  const signIn = await fetch(`${server.origin}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.origin, 'X-Requested-With': 'mayocarelink' },
    body: JSON.stringify({ login, password }),
  });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const { patients } = (await (
    await fetch(`${server.origin}/api/records/patients`, { headers: { Cookie: cookie } })
  ).json()) as { patients: { id: string; self: boolean }[] };
  const patient = patients.find((p) => p.self) ?? patients[0]!;
  const feed = (await (
    await fetch(`${server.origin}/api/records/feed?patient=${patient.id}&since=0&limit=1000`, {
      headers: { Cookie: cookie },
    })
  ).json()) as { changes: { type: string; id: string; resource?: Record<string, any> }[] };
  const latest = new Map(feed.changes.filter((c) => c.type === type).map((c) => [c.id, c.resource]));
  return [...latest.values()].filter((r): r is Record<string, any> => r !== undefined);
}
