import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from './testing/app.js';
import { createLogger } from './log.js';
import { JSON_BODY_LIMIT } from './app.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from './http/csrf.js';

const json = (body: unknown, type = 'application/json') => ({
  method: 'POST',
  headers: { 'Content-Type': type },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('HTTP app', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  describe('GET /api/health', () => {
    it('says ok when the database answers', async () => {
      const res = await t.app.request('/api/health');
      assert.equal(res.status, 200);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.status, 'ok');
      assert.equal(body.database, 'sqlite');
      assert.equal(body.time, '2026-11-25T12:00:00.000Z');
    });

    it('says unavailable (503) when the database does not answer', async () => {
      const broken = await createTestApp();
      await broken.testStore.store.close();
      const res = await broken.app.request('/api/health');
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), {
        status: 'unavailable',
        error: 'database_unavailable',
        message: 'The database is not answering.',
      });
    });
  });

  describe('security headers (SECURITY.md, ASVS 3.4)', () => {
    for (const path of ['/api/health', '/', '/help', '/manifest.webmanifest', '/api/nope']) {
      it(`are on ${path}`, async () => {
        const res = await t.app.request(path);
        const csp = res.headers.get('content-security-policy') ?? '';
        for (const directive of [
          "script-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "frame-ancestors 'none'",
          "default-src 'self'",
        ]) {
          assert.ok(csp.includes(directive), `CSP lacks ${directive}: ${csp}`);
        }
        assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
        assert.equal(res.headers.get('x-frame-options'), 'DENY');
        assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS over http://localhost');
      });
    }

    it('adds HSTS when the public origin is https', async () => {
      const https = await createTestApp({ env: { PUBLIC_ORIGIN: 'https://portal.clinic.example' } });
      try {
        const res = await https.app.request('/api/health');
        assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=\d{8}; includeSubDomains/);
      } finally {
        await https.close();
      }
    });

    it('marks every API response no-store, errors included', async () => {
      for (const [path, init] of [
        ['/api/health', {}],
        ['/api/nope', {}],
        ['/api/csp-reports', json('{')],
      ] as const) {
        const res = await t.app.request(path, init);
        assert.equal(res.headers.get('cache-control'), 'no-store', path);
      }
    });
  });

  describe('API errors are JSON with a reason', () => {
    it('404 for an unknown API path', async () => {
      const res = await t.app.request('/api/nothing-here/123');
      assert.equal(res.status, 404);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      assert.deepEqual(await res.json(), { error: 'not_found', message: 'There is no API at /api/nothing-here/123.' });
    });

    it('405 with Allow for a wrong method', async () => {
      const res = await t.app.request('/api/health', {
        method: 'DELETE',
        headers: { Origin: t.config.publicOrigin, [CSRF_HEADER]: CSRF_HEADER_VALUE },
      });
      assert.equal(res.status, 405);
      assert.equal(res.headers.get('allow'), 'GET, HEAD');
      assert.equal(((await res.json()) as { error: string }).error, 'method_not_allowed');
    });

    it('400 for malformed JSON', async () => {
      const res = await t.app.request('/api/csp-reports', json('{"csp-report": '));
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: string; message: string };
      assert.equal(body.error, 'invalid_json');
      assert.match(body.message, /^The body is not valid JSON/);
    });

    it('400 naming the field for JSON of the wrong shape', async () => {
      const res = await t.app.request('/api/csp-reports', json({ 'csp-report': { 'blocked-uri': 42 } }));
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: string; issues: { path: string }[] };
      assert.equal(body.error, 'invalid_body');
      assert.ok(body.issues.length > 0);
    });

    it('415 for a body that is not JSON', async () => {
      const res = await t.app.request('/api/csp-reports', json('a=b', 'application/x-www-form-urlencoded'));
      assert.equal(res.status, 415);
      assert.equal(((await res.json()) as { error: string }).error, 'unsupported_media_type');
    });

    it('413 for a body over the limit, declared or streamed', async () => {
      const big = JSON.stringify({ 'csp-report': { 'document-uri': 'x'.repeat(JSON_BODY_LIMIT) } });
      const declared = await t.app.request('/api/csp-reports', json(big));
      assert.equal(declared.status, 413);
      assert.equal(((await declared.json()) as { error: string }).error, 'body_too_large');
      // Without Content-Length (chunked), the limit is enforced while reading.
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(100_000)));
          controller.close();
        },
      });
      const streamed = await t.app.request('/api/csp-reports', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      assert.equal(streamed.status, 413);
    });

    it('500 without a stack trace or internal message when something breaks', async () => {
      const lines: string[] = [];
      const failing = createLogger('debug', (line) => {
        lines.push(line);
        if (line.includes('csp violation')) throw new Error('disk full at /var/secret/path');
      });
      const broken = await createTestApp({ logger: failing });
      try {
        const res = await broken.app.request(
          '/api/csp-reports',
          json({ 'csp-report': { 'violated-directive': 'script-src' } }),
        );
        assert.equal(res.status, 500);
        const text = await res.text();
        assert.ok(!text.includes('/var/secret') && !text.includes('at '), text);
        const body = JSON.parse(text) as { error: string; requestId: string };
        assert.equal(body.error, 'internal');
        assert.ok(lines.some((l) => l.includes('unhandled error') && l.includes(body.requestId)));
      } finally {
        await broken.close();
      }
    });
  });

  it('refuses a cross-site state change before anything else', async () => {
    const res = await t.app.request('/api/health', { method: 'DELETE', headers: { Origin: 'https://evil.example' } });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: string }).error, 'cross_site_request');
  });

  describe('POST /api/csp-reports', () => {
    it('logs a violation without the query string of the page', async () => {
      const res = await t.app.request(
        '/api/csp-reports',
        json(
          {
            'csp-report': {
              'document-uri': 'http://localhost:8080/records?token=abc',
              'violated-directive': 'script-src-elem',
              'blocked-uri': 'https://evil.example/x.js?u=1',
            },
          },
          'application/csp-report',
        ),
      );
      assert.equal(res.status, 204);
      const entry = t.logs.find((l) => l.msg === 'csp violation');
      assert.ok(entry);
      assert.equal(entry.page, 'http://localhost:8080/records');
      assert.equal(entry.blocked, 'https://evil.example/x.js');
      assert.ok(!JSON.stringify(t.logs).includes('token=abc'));
    });
  });

  describe('the built app', () => {
    it('serves the shell for / and for deep links, revalidated', async () => {
      for (const path of ['/', '/help', '/records/results/42']) {
        const res = await t.app.request(path, { headers: { Accept: 'text/html' } });
        assert.equal(res.status, 200, path);
        assert.match(await res.text(), /<mcl-app>/);
        assert.equal(res.headers.get('cache-control'), 'no-cache');
      }
    });

    it('caches hashed assets for a year and revalidates the service worker', async () => {
      const asset = await t.app.request('/assets/main-ABCDEF12.js');
      assert.equal(asset.status, 200);
      assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const sw = await t.app.request('/sw.js');
      assert.equal(sw.status, 200);
      assert.equal(sw.headers.get('cache-control'), 'no-cache');
    });

    it('answers 404 for a missing file rather than the shell', async () => {
      const res = await t.app.request('/assets/missing-00000000.js');
      assert.equal(res.status, 404);
    });

    it('serves a manifest an installer accepts, built from the clinic configuration', async () => {
      const res = await t.app.request('/manifest.webmanifest');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/manifest\+json/);
      const m = (await res.json()) as Record<string, any>;
      assert.equal(m.name, t.config.clinic.name);
      assert.equal(m.short_name, t.config.clinic.shortName);
      assert.equal(m.display, 'standalone');
      assert.equal(m.start_url, '/');
      assert.equal(m.scope, '/');
      assert.match(m.theme_color, /^#[0-9a-f]{6}$/i);
      assert.match(m.background_color, /^#[0-9a-f]{6}$/i);
      const sizes = (purpose: string) => m.icons.filter((i: any) => i.purpose === purpose).map((i: any) => i.sizes);
      assert.deepEqual(sizes('any'), ['192x192', '512x512']);
      assert.deepEqual(sizes('maskable'), ['192x192', '512x512']);
    });

    it('serves the clinic details for the Help page', async () => {
      const res = await t.app.request('/clinic.json');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { ...t.config.clinic, booking: { changeCutoffHours: 24 } });
    });

    it('says the app needs building when there is no build, and keeps the API working', async () => {
      const unbuilt = await createTestApp({ env: { PUBLIC_DIR: '/nonexistent-build' } });
      try {
        const page = await unbuilt.app.request('/');
        assert.equal(page.status, 503);
        assert.match(await page.text(), /npm run build/);
        assert.equal((await unbuilt.app.request('/api/health')).status, 200);
      } finally {
        await unbuilt.close();
      }
    });
  });

  it('logs each request as one structured line, without query strings', async () => {
    await t.app.request('/api/health?patient=Jane+Doe');
    const entry = t.logs.filter((l) => l.msg === 'request').at(-1)!;
    assert.equal(entry.path, '/api/health');
    assert.equal(entry.status, 200);
    assert.equal(typeof entry.requestId, 'string');
    assert.ok(!JSON.stringify(t.logs).includes('Jane'));
  });
});
