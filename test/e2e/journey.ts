import { after, before } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser, patientAccount, startServer, type RunningServer } from './harness.js';

/** A patient's bundle in ../shared/fhir/patients, by the start of its file name ('Reyna_Ziemann'). */
export function patientBundle(name: string): string {
  const shared = join(process.cwd(), '..', 'shared', 'fhir', 'patients');
  return join(
    shared,
    readdirSync(shared).find((f) => f.startsWith(name))!,
  );
}

/** How many current prescriptions a bundle holds: what Home says ("N current") once the record has downloaded. */
export function activeMedications(bundleFile: string): number {
  return (JSON.parse(readFileSync(bundleFile, 'utf8')) as { entry: { resource: Record<string, any> }[] }).entry
    .map((e) => e.resource)
    .filter((r) => r.resourceType === 'MedicationRequest' && r.status === 'active').length;
}

/** What a journey works with: its own server, a browser, one context and its page. Set once `before` has run. */
export interface Journey {
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * The set-up journeys share, as the `before` and `after` of the calling `describe`: a fresh server where
 * `username` has signed up with the record of `bundleFile`, a browser, a context (made with `contextOptions`, e.g.
 * a phone's from playwright's `devices`; `withContext` runs on it before the page opens: init scripts) and its
 * page (`withPage` then runs: a virtual authenticator, signing in). `env`: settings for the server. After the
 * tests the browser is closed and the server stopped.
 */
export function patientJourney(
  bundleFile: string,
  username: string,
  password: string,
  steps: {
    /** Settings for the server beside the harness's own (e.g. lead times, a moved clock). */
    env?: Record<string, string>;
    contextOptions?: BrowserContextOptions;
    withContext?: (context: BrowserContext) => Promise<unknown>;
    withPage?: (journey: Journey) => Promise<unknown>;
  } = {},
): Journey {
  const journey = {} as Journey;
  before(async () => {
    journey.server = await startServer({ env: steps.env });
    await patientAccount(journey.server, bundleFile, username, password);
    journey.browser = await launchBrowser();
    journey.context = await journey.browser.newContext({ ...steps.contextOptions, bypassCSP: true });
    await steps.withContext?.(journey.context);
    journey.page = await journey.context.newPage();
    await steps.withPage?.(journey);
  });
  after(async () => {
    await journey.browser?.close();
    await journey.server?.stop();
  });
  return journey;
}
