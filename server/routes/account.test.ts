import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { readOutbox, waitForMail } from '../testing/mail.js';
import { maskEmail } from './account.js';

const PASSWORD = 'correct horse battery staple';
type Json = Record<string, any>;

describe('contact details: email and phone changes need step-up and tell the holder', () => {
  let t: TestApp;
  let now = new Date('2026-11-25T12:00:00Z');
  let cookie: string;
  const call = async (method: string, path: string, body?: unknown, withCookie = true) => {
    const res = await t.app.request(path, {
      method,
      headers: {
        Origin: t.config.publicOrigin,
        [CSRF_HEADER]: CSRF_HEADER_VALUE,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(withCookie ? { Cookie: cookie } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : {}) as Json,
      cookie: res.headers.get('set-cookie')?.split(';')[0],
    };
  };

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    const hash = await hashPassword(PASSWORD);
    for (const username of ['ada', 'bea']) {
      const a = await createAccount(
        t.testStore.store.db,
        { kind: 'patient', username, email: `${username}@example.com`, displayName: username, passwordHash: hash },
        now,
      );
      await t.testStore.store.db
        .updateTable('account')
        .set({ email_verified_at: now.toISOString() })
        .where('id', '=', a.id)
        .execute();
    }
    cookie = (await call('POST', '/api/session', { login: 'ada', password: PASSWORD }, false)).cookie!;
  });
  after(() => t.close());

  it('changes the mobile number (international form only) and tells the holder', async () => {
    assert.equal((await call('PUT', '/api/account/phone', { phone: '555-0123' })).status, 400);
    const ok = await call('PUT', '/api/account/phone', { phone: '+44 7700 900123' });
    assert.equal(ok.status, 200);
    assert.equal((await call('GET', '/api/account')).body.phone, '+447700900123');
    const mails = await waitForMail(t.config.dataDir, 1);
    assert.match(mails[0]!.subject, /mobile number was changed/);
    assert.equal(mails[0]!.to, 'ada@example.com');
  });

  it('changes the email address only through a link sent to the new one; the old one is told', async () => {
    const asked = await call('POST', '/api/account/email', { email: 'Ada.New@Example.com' });
    assert.equal(asked.status, 202);
    const mails = await waitForMail(t.config.dataDir, 3);
    const link = mails.find((m) => m.to === 'ada.new@example.com')!;
    assert.ok(mails.some((m) => m.to === 'ada@example.com' && /change of email/.test(m.subject)));
    const token = /#token=([A-Za-z0-9_-]+)/.exec(link.text)![1]!;
    assert.equal(
      (await call('GET', '/api/account')).body.email,
      'ada@example.com',
      'nothing changes before the link is opened',
    );
    const done = await call('POST', '/api/account/email/confirm', { token }, false);
    assert.equal(done.status, 200);
    assert.equal((await call('GET', '/api/account')).body.email, 'ada.new@example.com');
    assert.equal((await call('POST', '/api/account/email/confirm', { token }, false)).status, 410);
    const after = await waitForMail(t.config.dataDir, 4);
    assert.ok(
      after.some(
        (m) =>
          m.to === 'ada@example.com' &&
          /email address was changed/.test(m.subject) &&
          m.text.includes(maskEmail('ada.new@example.com')),
      ),
    );
  });

  it('answers the same for an address that has an account, and tells that address instead', async () => {
    const before = (await readOutbox(t.config.dataDir)).length;
    const asked = await call('POST', '/api/account/email', { email: 'bea@example.com' });
    assert.equal(asked.status, 202);
    assert.match(asked.body.message, /We sent a link to bea@example.com/);
    const mails = await waitForMail(t.config.dataDir, before + 2);
    assert.ok(mails.slice(before).some((m) => m.to === 'bea@example.com' && /entered at/.test(m.subject)));
    assert.equal((await call('POST', '/api/account/email', { email: 'ada.new@example.com' })).status, 400);
    assert.equal((await call('POST', '/api/account/email', { email: 'not an address' })).status, 400);
  });

  it('needs a fresh sign-in for both after five minutes; notification choices do not', async () => {
    now = new Date(now.getTime() + 5 * 60_000 + 1000);
    assert.equal((await call('POST', '/api/session/keepalive', {})).status, 200);
    assert.equal((await call('PUT', '/api/account/phone', { phone: '' })).body.error, 'reauth_required');
    assert.equal((await call('POST', '/api/account/email', { email: 'x@example.com' })).body.error, 'reauth_required');
    const notify = {
      newMessage: { email: true, text: true },
      appointmentReminder: { email: false, text: false },
      newResult: { email: true, text: false },
    };
    assert.equal((await call('PUT', '/api/account/notifications', { notify })).status, 200);
    assert.deepEqual((await call('GET', '/api/account')).body.notify, notify);
    assert.equal((await call('PUT', '/api/account/notifications', { notify: { newMessage: 'yes' } })).status, 400);
  });
});
