import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { csrfProtection, CSRF_HEADER, CSRF_HEADER_VALUE } from './csrf.js';

const origin = 'https://portal.clinic.example';
const app = new Hono()
  .use('/api/*', csrfProtection(origin, ['/api/csp-reports']))
  .get('/api/thing', (c) => c.text('read'))
  .post('/api/thing', (c) => c.text('changed'))
  .post('/api/csp-reports', (c) => c.body(null, 204));

const post = (headers: Record<string, string>) => app.request('/api/thing', { method: 'POST', headers });

describe('CSRF protection', () => {
  it('lets the portal page change state: same origin and the custom header', async () => {
    assert.equal((await post({ Origin: origin, [CSRF_HEADER]: CSRF_HEADER_VALUE })).status, 200);
    assert.equal((await post({ 'Sec-Fetch-Site': 'same-origin', [CSRF_HEADER]: CSRF_HEADER_VALUE })).status, 200);
  });

  it('refuses another origin even with the header', async () => {
    const res = await post({ Origin: 'https://evil.example', [CSRF_HEADER]: CSRF_HEADER_VALUE });
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), {
      error: 'cross_site_request',
      message: 'This request did not come from the portal and was refused.',
    });
    assert.equal((await post({ 'Sec-Fetch-Site': 'cross-site', [CSRF_HEADER]: CSRF_HEADER_VALUE })).status, 403);
    assert.equal((await post({ Origin: 'null', [CSRF_HEADER]: CSRF_HEADER_VALUE })).status, 403);
  });

  it('refuses the right origin without the custom header (a plain cross-site form cannot add it)', async () => {
    assert.equal((await post({ Origin: origin })).status, 403);
    assert.equal((await post({ Origin: origin, [CSRF_HEADER]: 'something-else' })).status, 403);
  });

  it('does not check reads, nor the browser-sent CSP reports', async () => {
    assert.equal((await app.request('/api/thing', { headers: { Origin: 'https://evil.example' } })).status, 200);
    assert.equal(
      (await app.request('/api/csp-reports', { method: 'POST', headers: { Origin: 'https://evil.example' } })).status,
      204,
    );
  });
});
