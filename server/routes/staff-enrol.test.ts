import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { createAccount } from '../auth/accounts.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { SoftAuthenticator } from '../testing/soft-authenticator.js';
import { hashToken } from '../auth/tokens.js';
import { insertSetUpLink } from '../testing/staff-session.js';

const PASSWORD = 'a long staff passphrase 4 clinic';

/**
 * A staff member who closed the browser after choosing a password but before adding a passkey was locked out
 * ("ask an administrator for a new set-up link"). The set-up link now works again until it expires or a passkey
 * is added, whichever comes first.
 */
describe('staff set-up link', () => {
  let t: TestApp;
  const now = new Date('2026-11-25T12:00:00Z');
  let link: string;

  const call = async (path: string, body: unknown, cookie?: string) => {
    const res = await t.app.request(path, {
      method: 'POST',
      headers: {
        Origin: t.config.publicOrigin,
        [CSRF_HEADER]: CSRF_HEADER_VALUE,
        'Content-Type': 'application/json',
        ...(cookie ? { Cookie: cookie } : {}),
      },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as any,
      cookie: res.headers.get('set-cookie')?.split(';')[0],
    };
  };

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    const staff = await createAccount(
      t.testStore.store.db,
      { kind: 'staff', username: 'staff-new', email: 'new@clinic.example', displayName: 'Dr New', role: 'clinician' },
      now,
    );
    link = await insertSetUpLink(t, staff.id, now);
  });
  after(() => t.close());

  it('opens again after the browser was closed before a passkey was added, and stops once one is', async () => {
    const first = await call('/api/staff-enrol', { token: link, username: 'drnew', password: PASSWORD });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    // The browser is closed here: no passkey. The same link, later that day:
    const again = await call('/api/staff-enrol', { token: link, username: 'drnew', password: PASSWORD });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.status, 'account-ready');
    const key = new SoftAuthenticator(t.config.publicOrigin);
    const options = await call('/api/factors/passkeys/options', {}, again.cookie);
    const added = await call(
      '/api/factors/passkeys',
      { name: 'Clinic key', response: key.register(options.body) },
      again.cookie,
    );
    assert.equal(added.status, 201, JSON.stringify(added.body));
    // With a passkey, the link is spent: nobody holding the old email can set a new password through it.
    const late = await call('/api/staff-enrol', { token: link, username: 'drnew', password: PASSWORD });
    assert.equal(late.status, 410);
    assert.equal(late.body.error, 'link_used');
    assert.match(late.body.message, /sign in/);
    const row = await t.testStore.store.db
      .selectFrom('one_time_token')
      .select('used_at')
      .where('hash', '=', hashToken(link))
      .executeTakeFirstOrThrow();
    assert.equal(row.used_at, now.toISOString(), 'the link is marked used when the first passkey is added');
  });
});
