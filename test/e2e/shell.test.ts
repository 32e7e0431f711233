import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, startServer, waitForController, type RunningServer } from './harness.js';

/** Waits until a service worker controls the page (the first install claims it). */
function shellText(page: Page, selector: string): Promise<string> {
  return page.locator(`mcl-app ${selector}`).first().innerText();
}

describe('the installable shell, online and offline', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) cspViolations.push(m.text());
    });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('loads the shell with the clinic name, navigation and home page', async () => {
    await page.goto(server.origin + '/');
    assert.equal(await shellText(page, 'header .brand'), 'Mayocarelink Demo Clinic');
    assert.deepEqual(await page.locator('mcl-app nav a').allInnerTexts(), ['Home', 'Help', 'Sign in']);
    await page.locator('mcl-home-page h1').waitFor();
    assert.equal(await page.title(), 'Home – Mayocarelink Demo Clinic');
  });

  it('has a manifest an installer accepts, with icons of the declared sizes', async () => {
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = (await (await fetch(new URL(href!, server.origin))).json()) as {
      name: string;
      display: string;
      start_url: string;
      scope: string;
      icons: { src: string; sizes: string; purpose: string }[];
    };
    assert.equal(manifest.display, 'standalone');
    assert.equal(new URL(manifest.start_url, server.origin).pathname, '/');
    assert.ok(manifest.icons.some((i) => i.purpose === 'maskable' && i.sizes === '512x512'));
    for (const icon of manifest.icons) {
      const res = await fetch(new URL(icon.src, server.origin));
      assert.equal(res.status, 200, icon.src);
      assert.equal(res.headers.get('content-type'), 'image/png');
      const png = Buffer.from(await res.arrayBuffer());
      // PNG signature, then IHDR width and height (big-endian) at bytes 16 and 20.
      assert.equal(png.subarray(1, 4).toString(), 'PNG');
      assert.equal(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, icon.sizes, icon.src);
    }
    // Chromium's own installability check: a manifest it parsed without errors.
    const cdp = await context.newCDPSession(page);
    const { errors } = (await cdp.send('Page.getAppManifest' as never)) as { errors: { message: string }[] };
    await cdp.detach(); // a second DevTools session left attached would undo the network emulation used below
    assert.deepEqual(errors, []);
  });

  it("lists each route's code for the router to fetch in one round, and the page asked for it", async () => {
    const html = await (await fetch(server.origin + '/')).text();
    const modules = JSON.parse(
      /<script type="application\/json" id="mcl-route-modules">(.*?)<\/script>/.exec(html)![1]!,
    ) as Record<string, string[]>;
    assert.match(modules['/sign-in']![0]!, /^\/assets\/sign-in-page-[A-Z0-9]{8}\.js$/);
    assert.ok(modules['/sign-in']!.length > 1, 'with what it imports');
    for (const href of modules['/help']!) assert.equal((await fetch(server.origin + href)).status, 200, href);
    const preloads = await page.evaluate(() =>
      [...document.querySelectorAll('link[rel=modulepreload]')].map(
        (l) => new URL((l as HTMLLinkElement).href).pathname,
      ),
    );
    assert.ok(
      modules['/']!.every((href) => preloads.includes(href)),
      'Home was opened: its code was preloaded',
    );
  });

  it('is taken over by the service worker, which precaches the shell', async () => {
    await waitForController(page);
    assert.ok(
      await page.evaluate(async () => (await caches.open('mcl-public')).match('/clinic.json').then((r) => !!r)),
      'the clinic details were not cached at install',
    );
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls: string[] = [];
      for (const name of names)
        for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
      return urls;
    });
    assert.ok(
      cached.some((u) => u === '/index.html'),
      `no shell in ${cached.join(', ')}`,
    );
    assert.ok(
      cached.some((u) => /^\/assets\/help-page-.+\.js$/.test(u)),
      'Help page code is not precached',
    );
    assert.ok(!cached.some((u) => u.startsWith('/api/')), 'an API response was cached');
  });

  it('opens offline: the shell, the offline notice, and Help by navigation and by deep link', async () => {
    // A fresh visitor: the first visit is the only one online (the worker caches the clinic details at install).
    await page.goto(server.origin + '/help');
    await page.locator('mcl-help-page h1').waitFor();
    await waitForController(page);
    await context.setOffline(true);
    try {
      await page.reload();
      const notice = page.locator('mcl-connection-status p.offline');
      await notice.waitFor();
      assert.match(await notice.innerText(), /You are offline\. What is saved on this device still opens\./);
      assert.equal(await shellText(page, 'header .brand'), 'Mayocarelink Demo Clinic');
      await page.locator('mcl-help-page').getByText('Nurse line (Every day, 24 hours)').waitFor();

      await page.goto(server.origin + '/'); // a navigation while offline, answered by the service worker
      await page.locator('mcl-home-page h1').waitFor();
      await page.locator('mcl-app nav a', { hasText: 'Help' }).click();
      await page.locator('mcl-help-page h1').waitFor();
      assert.equal(new URL(page.url()).pathname, '/help');
      await page.locator('mcl-help-page').getByText('+1 507-555-0100').first().waitFor();

      // The API is never answered from a cache.
      const api = await page.evaluate(() =>
        fetch('/api/health').then(
          (r) => r.status,
          (e) => String(e),
        ),
      );
      assert.match(String(api), /TypeError/);
    } finally {
      await context.setOffline(false);
    }
    await page.reload();
    await page.locator('mcl-connection-status p.online').waitFor();
  });

  it('works by keyboard: skip button, header, navigation, then Enter opens Help with focus on it', async () => {
    await page.goto(server.origin + '/');
    await page.locator('mcl-home-page h1').waitFor();
    const focused = () =>
      page.evaluate(() => {
        const el = document.querySelector('mcl-app')!.shadowRoot!.activeElement as HTMLElement | null;
        return el ? `${el.tagName.toLowerCase()}:${el.textContent?.trim()}` : 'none';
      });
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    assert.deepEqual(order, ['button:Skip to main content', 'a:Mayocarelink Demo Clinic', 'a:Home', 'a:Help']);
    await page.keyboard.press('Enter');
    await page.locator('mcl-help-page h1').waitFor();
    await page.waitForFunction(() => document.querySelector('mcl-app')!.shadowRoot!.activeElement?.tagName === 'MAIN');
    assert.equal(new URL(page.url()).pathname, '/help');
  });

  it('raised no Content-Security-Policy violation on any page', () => {
    assert.deepEqual(cspViolations, []);
  });

  it('passes axe on every page of the whole app (WCAG 2.1 AA)', async () => {
    // A separate context that may inject axe's script, which the app's CSP rightly refuses.
    const audit = await browser.newContext({ bypassCSP: true });
    try {
      const p = await audit.newPage();
      for (const path of [
        '/',
        '/help',
        '/no-such-page',
        '/sign-in',
        '/sign-up',
        '/forgot-password',
        '/reset-password#token=aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        '/verify-email#token=aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      ]) {
        await p.goto(server.origin + path);
        await p.locator('mcl-app main h1').first().waitFor();
        assert.deepEqual(await axeViolations(p), [], path);
      }
    } finally {
      await audit.close();
    }
  });
});
