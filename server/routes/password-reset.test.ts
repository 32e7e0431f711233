import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { readOutbox, waitForMail } from '../testing/mail.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';

const OLD = 'the old password of this account';
const NEW = 'a brand new password for spring';

describe('forgot password', () => {
  let t: TestApp;
  let now = new Date('2026-11-25T12:00:00Z');
  let headers: Record<string, string>;
  const post = (path: string, body: unknown, cookie?: string) =>
    t.app.request(path, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
      body: JSON.stringify(body),
    });
  const linkIn = (text: string) => text.match(/reset-password#token=([A-Za-z0-9_-]+)/)![1]!;

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    headers = { Origin: t.config.publicOrigin, [CSRF_HEADER]: CSRF_HEADER_VALUE };
    const a = await createAccount(
      t.testStore.store.db,
      {
        kind: 'patient',
        username: 'truman',
        email: 'truman@example.com',
        displayName: 'Truman',
        passwordHash: await hashPassword(OLD),
      },
      now,
    );
    await t.testStore.store.db
      .updateTable('account')
      .set({ email_verified_at: now.toISOString() })
      .where('id', '=', a.id)
      .execute();
  });
  after(async () => {
    await t.close();
  });

  it('answers the same for a known and an unknown address, and mails only the known one', async () => {
    const known = await post('/api/password-reset', { email: 'Truman@example.com' });
    const unknown = await post('/api/password-reset', { email: 'nobody@example.com' });
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.deepEqual(await known.json(), await unknown.json());
    const mails = await waitForMail(t.config.dataDir, 1);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.to, 'truman@example.com');
  });

  it('sets the new password once, ends every session and tells the holder', async () => {
    const session = (await post('/api/session', { login: 'truman', password: OLD })).headers
      .get('set-cookie')!
      .split(';')[0]!;
    const token = linkIn((await readOutbox(t.config.dataDir))[0]!.text);
    const weak = await post('/api/password-reset/confirm', { token, password: 'truman1234567890' });
    assert.equal(weak.status, 400, 'built from the username');
    const res = await post('/api/password-reset/confirm', { token, password: NEW });
    assert.equal(res.status, 200);
    assert.equal(
      (await t.app.request('/api/session', { headers: { Cookie: session } })).status,
      401,
      'old session ended',
    );
    assert.equal((await post('/api/session', { login: 'truman', password: OLD })).status, 401);
    assert.equal((await post('/api/session', { login: 'truman', password: NEW })).status, 200);
    const replay = await post('/api/password-reset/confirm', { token, password: 'yet another password for me' });
    assert.equal(replay.status, 410);
    const mails = await waitForMail(t.config.dataDir, 2);
    assert.match(mails[1]!.subject, /password was changed/);
    assert.match(mails[1]!.text, /1 signed-in session\(s\) were ended/);
  });

  it('lets a link expire after one hour', async () => {
    await post('/api/password-reset', { email: 'truman@example.com' });
    const mails = await waitForMail(t.config.dataDir, 3);
    now = new Date(now.getTime() + 3600_000 + 1);
    const res = await post('/api/password-reset/confirm', {
      token: linkIn(mails[2]!.text),
      password: 'another fine password here',
    });
    assert.equal(res.status, 410);
    assert.equal(((await res.json()) as { error: string }).error, 'link_expired');
  });

  it('does not let the form flood an inbox', async () => {
    const before = (await readOutbox(t.config.dataDir)).length;
    for (let i = 0; i < 10; i++)
      assert.equal((await post('/api/password-reset', { email: 'truman@example.com' })).status, 202);
    const after = (await waitForMail(t.config.dataDir, before + 10, 500)).length;
    assert.ok(after - before <= 4, `${after - before} mails for 10 requests`);
  });
});
