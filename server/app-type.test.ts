import { CURRENT_CAREGIVER_CONSENT } from '../common/caregiver-consent.js';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hc } from 'hono/client';
import type { AppType } from './app.js';
import { createTestApp, type TestApp } from './testing/app.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from './http/csrf.js';

/**
 * The typed client the page uses (client/data/portal.ts) is `hono/client` over `AppType`. These tests call the
 * real app through it, and the `@ts-expect-error` lines are the type-level half: `npm test`'s typecheck fails if a
 * wrong route, a renamed field or a missing field would still compile (the directive itself is then unused).
 */
describe('AppType: the typed client knows every route, its body and its answer', () => {
  let t: TestApp;
  let client: ReturnType<typeof hc<AppType>>;

  before(async () => {
    t = await createTestApp();
    client = hc<AppType>(t.config.publicOrigin, {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => t.app.request(input, init),
      headers: { Origin: t.config.publicOrigin, [CSRF_HEADER]: CSRF_HEADER_VALUE },
    });
  });
  after(() => t.close());

  it('sends a declared JSON body and reads the typed answer', async () => {
    const res = await client.api['password-reset'].$post({ json: { email: 'nobody@example.com' } });
    assert.equal(res.status, 202);
    const body = await res.json();
    assert.match(String((body as { message?: string }).message), /link/);
  });

  it('a refused body still answers 400 with one issue per field, as readJsonBody did', async () => {
    const res = await client.api.session.$post({ json: { login: '', password: 'x' } });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error?: string; issues?: { path: string }[] };
    assert.equal(body.error, 'invalid_body');
    assert.deepEqual(
      body.issues?.map((i) => i.path),
      ['login'],
    );
  });

  it('refuses at compile time what the server would refuse at run time', () => {
    // Built, never sent: only the types are under test here.
    const never = false as boolean;
    if (never) {
      // @ts-expect-error a renamed field (the server wants medicationRequestId)
      void client.api.refills.$post({ json: { medicationRequestID: 'x', pharmacy: 'p' } });
      // @ts-expect-error a missing field (pharmacy is required)
      void client.api.refills.$post({ json: { medicationRequestId: 'x' } });
      // @ts-expect-error a route that does not exist
      void client.api.refill.$post({ json: {} });
      // @ts-expect-error a body where the route declares none of that shape
      void client.api.account.phone.$put({ json: { mobile: '+15075550123' } });
      void client.api.sharing.$post({
        json: {
          email: 'a@example.com',
          name: 'A',
          scopes: ['records'],
          consentVersion: CURRENT_CAREGIVER_CONSENT.version,
        },
      });
      void client.api.caregiver.people[':id'].$delete({ param: { id: 'x' } });
      // @ts-expect-error an invitation without the consent the patient accepted
      void client.api.sharing.$post({ json: { email: 'a@example.com', name: 'A', scopes: ['records'] } });
      // @ts-expect-error a scope that does not exist
      void client.api.sharing[':id'].$patch({ param: { id: 'x' }, json: { scopes: ['billing'] } });
    }
    assert.equal(typeof client.api.refills.$url().href, 'string');
  });
});
