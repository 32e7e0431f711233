import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../testing/app.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { verifyAuditLog } from '../audit/log.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { SoftAuthenticator } from '../testing/soft-authenticator.js';
import { waitForMail } from '../testing/mail.js';
import { totpCode } from '../auth/totp.js';
import { purgeExpiredTokens } from '../auth/link-tokens.js';
import { insertSetUpLink } from '../testing/staff-session.js';

const PASSWORD = 'correct horse battery staple';
type Json = Record<string, any>;

describe('strong sign-in: passkeys, authenticator app, text codes, recovery codes, step-up', () => {
  let t: TestApp;
  let now = new Date('2026-11-25T12:00:00Z');
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  let headers: Record<string, string>;

  const call = async (method: string, path: string, body?: unknown, cookie?: string) => {
    const res = await t.app.request(path, {
      method,
      headers: {
        ...headers,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(cookie ? { Cookie: cookie } : {}),
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : {}) as Json,
      cookie: res.headers.get('set-cookie')?.split(';')[0],
    };
  };
  const signIn = (login: string, password = PASSWORD) => call('POST', '/api/session', { login, password });
  const audit = (action: string) =>
    t.testStore.store.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();
  const lastText = () => {
    const dir = join(t.config.dataDir, 'sms');
    const files = existsSync(dir) ? readdirSync(dir).sort() : [];
    return files.length ? readFileSync(join(dir, files.at(-1)!), 'utf8') : '';
  };
  const textCount = () =>
    existsSync(join(t.config.dataDir, 'sms')) ? readdirSync(join(t.config.dataDir, 'sms')).length : 0;
  let mails = 0;
  /** Waits for a new mail with this subject (mail goes out in the background, so others may come between). */
  const expectMail = async (subject: RegExp) => {
    const deadline = Date.now() + 3000;
    for (;;) {
      const all = await waitForMail(t.config.dataDir, mails + 1, 200);
      const found = all.slice(mails).find((m) => subject.test(m.subject));
      if (found) {
        mails = all.length;
        return found;
      }
      assert.ok(
        Date.now() < deadline,
        `expected a mail like ${subject}; new: ${all
          .slice(mails)
          .map((m) => m.subject)
          .join(' | ')}`,
      );
    }
  };

  /** Registers a passkey for a signed-in (fresh) session. */
  const addPasskey = async (cookie: string, authenticator: SoftAuthenticator, name = 'My phone') => {
    const options = await call('POST', '/api/factors/passkeys/options', {}, cookie);
    assert.equal(options.status, 200, JSON.stringify(options.body));
    return call(
      'POST',
      '/api/factors/passkeys',
      { name, response: authenticator.register(options.body as any) },
      cookie,
    );
  };
  const passkeySignIn = async (authenticator: SoftAuthenticator, tamper = {}) => {
    const options = await call('POST', '/api/session/passkey-options', {});
    return call('POST', '/api/session/passkey', { response: authenticator.authenticate(options.body as any, tamper) });
  };

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    headers = { Origin: t.config.publicOrigin, [CSRF_HEADER]: CSRF_HEADER_VALUE };
    const hash = await hashPassword(PASSWORD);
    for (const username of ['pia', 'tom', 'sam', 'rita']) {
      const a = await createAccount(
        t.testStore.store.db,
        {
          kind: 'patient',
          username,
          email: `${username}@example.com`,
          displayName: username,
          passwordHash: hash,
          patientId: `p-${username}`,
        },
        now,
      );
      await t.testStore.store.db
        .updateTable('account')
        .set({ email_verified_at: now.toISOString() })
        .where('id', '=', a.id)
        .execute();
    }
    const staff = await createAccount(
      t.testStore.store.db,
      {
        kind: 'staff',
        username: 'drlee',
        email: 'lee@clinic.example',
        displayName: 'Dr Lee',
        role: 'clinician',
        passwordHash: hash,
      },
      now,
    );
    await t.testStore.store.db
      .updateTable('account')
      .set({ email_verified_at: now.toISOString() })
      .where('id', '=', staff.id)
      .execute();
  });
  after(() => t.close());

  describe('passkeys', () => {
    const phone = () => new SoftAuthenticator(t.config.publicOrigin);
    let pia: SoftAuthenticator;
    let cookie: string;

    it('registers a passkey right after sign-in, records PRF, returns ten recovery codes once, audits and emails', async () => {
      const first = await signIn('pia');
      assert.equal(first.status, 200);
      assert.equal(first.body.secured, false);
      assert.equal(first.body.authLevel, 'password');
      cookie = first.cookie!;
      pia = phone();
      const options = await call('POST', '/api/factors/passkeys/options', {}, cookie);
      assert.equal(options.body.authenticatorSelection.userVerification, 'required');
      assert.equal(options.body.authenticatorSelection.residentKey, 'required');
      assert.equal(options.body.rp.id, 'localhost');
      assert.deepEqual(options.body.extensions.prf, {});
      const added = await call(
        'POST',
        '/api/factors/passkeys',
        { name: 'My phone', response: pia.register(options.body as any) },
        cookie,
      );
      assert.equal(added.status, 201, JSON.stringify(added.body));
      assert.equal(added.body.passkey.name, 'My phone');
      assert.equal(added.body.passkey.prf, true);
      assert.equal(added.body.recoveryCodes.length, 10);
      const list = await call('GET', '/api/factors', undefined, cookie);
      assert.equal(list.body.passkeys.length, 1);
      assert.equal(list.body.recoveryCodesLeft, 10);
      assert.equal((await audit('passkey.added')).length, 1);
      await expectMail(/A passkey was added/);
    });

    it('refuses to register with a replayed challenge, a wrong origin, or UV cleared', async () => {
      const options = await call('POST', '/api/factors/passkeys/options', {}, cookie);
      const other = phone();
      const wrongOrigin = await call(
        'POST',
        '/api/factors/passkeys',
        { name: 'x', response: other.register(options.body as any, { origin: 'https://evil.example' }) },
        cookie,
      );
      assert.equal(wrongOrigin.status, 400);
      assert.equal(wrongOrigin.body.error, 'passkey_rejected');
      // That challenge is spent now, even though the answer was bad.
      const replay = await call(
        'POST',
        '/api/factors/passkeys',
        { name: 'x', response: other.register(options.body as any) },
        cookie,
      );
      assert.equal(replay.status, 400);
      assert.equal(replay.body.error, 'passkey_challenge');
      const fresh = await call('POST', '/api/factors/passkeys/options', {}, cookie);
      const noUv = await call(
        'POST',
        '/api/factors/passkeys',
        { name: 'x', response: other.register(fresh.body as any, { uv: false }) },
        cookie,
      );
      assert.equal(noUv.status, 400);
    });

    it('signs in with the passkey alone (discoverable), and shows when it was last used', async () => {
      advance(1000);
      const res = await passkeySignIn(pia);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.account.username, 'pia');
      assert.equal(res.body.authLevel, 'passkey');
      assert.match(res.cookie!, /^__Host-mcl_session=/);
      const list = await call('GET', '/api/factors', undefined, res.cookie);
      assert.equal(list.body.passkeys[0].lastUsedAt, now.toISOString());
      const signIns = await audit('sign-in');
      assert.equal(signIns.at(-1)!.detail, 'passkey');
    });

    it('refuses a bad signature, UV or UP cleared, a wrong origin, a replayed challenge, an unknown credential, garbage', async () => {
      const before = (await audit('passkey.failed')).length;
      for (const tamper of [
        { badSignature: true },
        { uv: false },
        { up: false },
        { origin: 'https://evil.example' },
        { rpId: 'evil.example' },
      ]) {
        const res = await passkeySignIn(pia, tamper);
        assert.equal(res.status, 401, JSON.stringify(tamper));
        assert.equal(res.body.error, 'passkey_rejected');
        assert.match(res.body.message, /could not be verified/);
      }
      assert.equal((await audit('passkey.failed')).length, before + 5);
      advance(31_000); // five failures: the next attempt waits 30 s (the counter is per account)
      const options = await call('POST', '/api/session/passkey-options', {});
      const answer = pia.authenticate(options.body as any);
      assert.equal((await call('POST', '/api/session/passkey', { response: answer })).status, 200);
      const replay = await call('POST', '/api/session/passkey', { response: answer });
      assert.equal(replay.status, 400);
      assert.equal(replay.body.error, 'passkey_challenge');
      const stranger = phone();
      stranger.userHandle = Buffer.from('someone').toString('base64url');
      const unknown = await passkeySignIn(stranger);
      assert.equal(unknown.status, 401);
      assert.equal(unknown.body.error, 'passkey_unknown');
      for (const garbage of [
        '{',
        '{"response":{}}',
        '{"response":{"id":"x","rawId":"x","type":"public-key","response":{"clientDataJSON":"!!","authenticatorData":"","signature":""},"clientExtensionResults":{}}}',
        '[]',
      ]) {
        const res = await call('POST', '/api/session/passkey', garbage);
        assert.ok(res.status >= 400 && res.status < 500, `${garbage}: ${res.status}`);
      }
      const notBase64Json = await call('POST', '/api/session/passkey', {
        response: {
          ...answer,
          response: { ...answer.response, clientDataJSON: Buffer.from('not json').toString('base64url') },
        },
      });
      assert.equal(notBase64Json.status, 400);
      // Counted: the success cleared the five tampered tries; the replay and the unreadable answer count again.
      const counter = await t.testStore.store.db
        .selectFrom('login_throttle')
        .selectAll()
        .where('key', 'like', 'passkey:%')
        .execute();
      assert.deepEqual(
        counter.map((r) => r.failures),
        [2],
      );
      const challengeFailures = (await audit('passkey.failed')).filter((e) => e.detail?.startsWith('challenge:'));
      assert.deepEqual(
        challengeFailures.map((e) => e.detail),
        ['challenge: passkey_challenge', 'challenge: passkey_invalid'],
        'the replay and the unreadable answer are audited',
      );
    });

    it('counts passkey failures per account and slows them down after five', async () => {
      assert.equal((await passkeySignIn(pia)).status, 200, 'a success clears the counter');
      for (let i = 0; i < 5; i++) assert.equal((await passkeySignIn(pia, { badSignature: true })).status, 401);
      const sixth = await passkeySignIn(pia);
      assert.equal(sixth.status, 429);
      advance(31_000);
      assert.equal((await passkeySignIn(pia)).status, 200);
    });

    it('accepts 0/0 counters, flags a decrease: refused, audited, emailed', async () => {
      const synced = new SoftAuthenticator(t.config.publicOrigin, false);
      const tom = await signIn('tom');
      assert.equal((await addPasskey(tom.cookie!, synced, 'Laptop')).status, 201);
      await expectMail(/A passkey was added/);
      assert.equal((await passkeySignIn(synced)).status, 200);
      assert.equal((await passkeySignIn(synced)).status, 200, '0 then 0 again is fine');

      advance(1000);
      assert.equal((await passkeySignIn(pia)).status, 200);
      const stored = pia.counter;
      advance(1000);
      const clone = await passkeySignIn(pia, { counter: stored - 1 });
      assert.equal(clone.status, 401);
      assert.equal(clone.body.error, 'passkey_blocked');
      const flagged = await audit('passkey.counter-regressed');
      assert.equal(flagged.length, 1);
      assert.match(flagged[0]!.detail!, new RegExp(`stored ${stored}, received ${stored - 1}`));
      await expectMail(/A passkey was blocked/);
      // A flagged passkey stays blocked, even with a good counter, until its owner removes it.
      assert.equal((await passkeySignIn(pia)).body.error, 'passkey_blocked');
      const list = await call('GET', '/api/factors', undefined, cookie);
      assert.equal(list.body.passkeys[0].flagged, true);
    });

    it('renames a passkey; removing one needs a fresh sign-in (step-up)', async () => {
      const id = (await call('GET', '/api/factors', undefined, cookie)).body.passkeys[0].id as string;
      const renamed = await call(
        'PATCH',
        `/api/factors/passkeys/${encodeURIComponent(id)}`,
        { name: 'Old phone' },
        cookie,
      );
      assert.equal(renamed.status, 200);
      advance(6 * 60_000);
      const keepAlive = await call('POST', '/api/session/keepalive', {}, cookie);
      assert.equal(keepAlive.status, 200);
      const stale = await call('DELETE', `/api/factors/passkeys/${encodeURIComponent(id)}`, undefined, cookie);
      assert.equal(stale.status, 403);
      assert.equal(stale.body.error, 'reauth_required');
      // Re-authenticate with the password: the account has a passkey (flagged) and recovery codes → a second step.
      const step = await call('POST', '/api/session/reauth', { password: PASSWORD }, cookie);
      assert.equal(step.status, 200);
      assert.equal(step.body.step, 'second-factor');
      assert.deepEqual(step.body.methods, ['passkey', 'recovery']);
      const codes = await call('POST', '/api/factors/recovery-codes', {}, cookie);
      assert.equal(codes.status, 403, 'still not fresh before the second step');
      // (Recovery code from the first test is not kept here; use the passkey-free path in the next block.)
      const wrong = await call(
        'POST',
        '/api/session/reauth/second-factor',
        { flow: step.body.flow, method: 'recovery', code: '0000-0000-0000-0000' },
        cookie,
      );
      assert.equal(wrong.status, 401);
    });
  });

  describe('authenticator app (TOTP) and recovery codes', () => {
    let cookie: string;
    let secret: string;
    let recovery: string[];

    it('enrols by QR code or typed key and confirms with a first code; recovery codes come with it', async () => {
      cookie = (await signIn('sam')).cookie!;
      const setup = await call('POST', '/api/factors/totp', {}, cookie);
      assert.equal(setup.status, 200);
      secret = setup.body.secret;
      assert.match(secret, /^[A-Z2-7]{32}$/);
      assert.match(setup.body.uri, /^otpauth:\/\/totp\//);
      assert.match(setup.body.qr, /^data:image\/png;base64,/);
      assert.equal((await call('POST', '/api/factors/totp/confirm', { code: '12345' }, cookie)).status, 400);
      assert.equal((await call('POST', '/api/factors/totp/confirm', { code: 'abcdef' }, cookie)).status, 400);
      const ok = await call('POST', '/api/factors/totp/confirm', { code: totpCode(secret, now) }, cookie);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      recovery = ok.body.recoveryCodes;
      assert.equal(recovery.length, 10);
      await expectMail(/authenticator app was set up/);
      assert.equal((await call('POST', '/api/factors/totp', {}, cookie)).status, 409, 'one app at a time');
    });

    it('a password alone is not enough any more: sign-in asks for the code, accepted once', async () => {
      advance(30_000);
      const first = await signIn('sam');
      assert.equal(first.status, 200);
      assert.equal(first.body.step, 'second-factor');
      assert.equal(first.cookie, undefined, 'no session before the second factor');
      assert.deepEqual(first.body.methods, ['totp', 'recovery']);
      const code = totpCode(secret, now);
      const done = await call('POST', '/api/session/second-factor', { flow: first.body.flow, method: 'totp', code });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.authLevel, 'mfa');
      assert.ok(done.cookie);
      // The flow is spent, and the same code is refused in a new flow: each code once.
      assert.equal(
        (await call('POST', '/api/session/second-factor', { flow: first.body.flow, method: 'totp', code })).status,
        410,
      );
      const again = await signIn('sam');
      const replay = await call('POST', '/api/session/second-factor', { flow: again.body.flow, method: 'totp', code });
      assert.equal(replay.status, 401);
      assert.equal(replay.body.error, 'code_used');
      const twoAgo = totpCode(secret, new Date(now.getTime() - 60_000));
      if (twoAgo !== totpCode(secret, now) && twoAgo !== totpCode(secret, new Date(now.getTime() + 30_000))) {
        assert.equal(
          (await call('POST', '/api/session/second-factor', { flow: again.body.flow, method: 'totp', code: twoAgo }))
            .body.error,
          'code_wrong',
        );
      }
      for (const bad of ['12345', '1234567', 'abcdef']) {
        const res = await call('POST', '/api/session/second-factor', {
          flow: again.body.flow,
          method: 'totp',
          code: bad,
        });
        assert.equal(res.status, 400);
        assert.equal(res.body.error, 'code_format');
      }
      // Five failures so far on this account's app counter: the next waits.
      assert.equal(
        (await call('POST', '/api/session/second-factor', { flow: again.body.flow, method: 'totp', code: '000000' }))
          .status,
        429,
      );
      assert.ok((await audit('second-factor.failed')).length >= 5);
      advance(31_000);
      assert.equal(
        (
          await call('POST', '/api/session/second-factor', {
            flow: again.body.flow,
            method: 'totp',
            code: totpCode(secret, now),
          })
        ).status,
        200,
      );
    });

    it('signs in with a recovery code, once; the holder is told', async () => {
      const first = await signIn('sam');
      const used = await call('POST', '/api/session/second-factor', {
        flow: first.body.flow,
        method: 'recovery',
        code: recovery[0]!.toLowerCase(),
      });
      assert.equal(used.status, 200, JSON.stringify(used.body));
      await expectMail(/A recovery code was used/);
      const second = await signIn('sam');
      const reused = await call('POST', '/api/session/second-factor', {
        flow: second.body.flow,
        method: 'recovery',
        code: recovery[0],
      });
      assert.equal(reused.status, 401);
      const list = await call('GET', '/api/factors', undefined, used.cookie);
      assert.equal(list.body.recoveryCodesLeft, 9);
    });

    it('step-up: after 5 minutes, new recovery codes need a re-authentication, which gives a new session id', async () => {
      const first = await signIn('sam');
      const s = await call('POST', '/api/session/second-factor', {
        flow: first.body.flow,
        method: 'recovery',
        code: recovery[1],
      });
      cookie = s.cookie!;
      await expectMail(/A recovery code was used/);
      advance(5 * 60_000 + 1000);
      assert.equal((await call('POST', '/api/session/keepalive', {}, cookie)).status, 200);
      assert.equal((await call('POST', '/api/factors/recovery-codes', {}, cookie)).body.error, 'reauth_required');
      assert.equal((await call('POST', '/api/session/reauth', { password: 'wrong password' }, cookie)).status, 401);
      const step = await call('POST', '/api/session/reauth', { password: PASSWORD }, cookie);
      assert.equal(step.body.step, 'second-factor');
      advance(30_000);
      const done = await call(
        'POST',
        '/api/session/reauth/second-factor',
        { flow: step.body.flow, method: 'totp', code: totpCode(secret, now) },
        cookie,
      );
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.ok(done.cookie && done.cookie !== cookie, 'a new session id at re-authentication');
      assert.equal((await call('GET', '/api/session', undefined, cookie)).status, 401, 'the old id is gone');
      const codes = await call('POST', '/api/factors/recovery-codes', {}, done.cookie);
      assert.equal(codes.status, 201);
      assert.equal(codes.body.recoveryCodes.length, 10);
      await expectMail(/New recovery codes/);
      recovery = codes.body.recoveryCodes;
      cookie = done.cookie!;
    });

    it('a password reset asks for the second factor too', async () => {
      assert.equal((await call('POST', '/api/password-reset', { email: 'sam@example.com' })).status, 202);
      const mail = await expectMail(/Choose a new password/);
      const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
      const start = await call('POST', '/api/password-reset/start', { token });
      assert.equal(start.status, 200);
      assert.deepEqual(start.body.secondFactor.methods, ['totp', 'recovery']);
      const newPassword = 'a brand new long passphrase 2026';
      const without = await call('POST', '/api/password-reset/confirm', { token, password: newPassword });
      assert.equal(without.status, 403);
      assert.equal(without.body.error, 'second_factor_required');
      const wrong = await call('POST', '/api/password-reset/confirm', {
        token,
        password: newPassword,
        secondFactor: { flow: start.body.secondFactor.flow, method: 'recovery', code: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' },
      });
      assert.equal(wrong.status, 401);
      const ok = await call('POST', '/api/password-reset/confirm', {
        token,
        password: newPassword,
        secondFactor: { flow: start.body.secondFactor.flow, method: 'recovery', code: recovery[0] },
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      // The new password still needs the app.
      assert.equal((await signIn('sam', newPassword)).body.step, 'second-factor');
    });

    it('removing the app needs step-up, is audited and emailed', async () => {
      const first = await signIn('sam', 'a brand new long passphrase 2026');
      advance(30_000);
      const s = await call('POST', '/api/session/second-factor', {
        flow: first.body.flow,
        method: 'totp',
        code: totpCode(secret, now),
      });
      const removed = await call('DELETE', '/api/factors/totp', undefined, s.cookie);
      assert.equal(removed.status, 204);
      await expectMail(/authenticator app was removed/);
      assert.equal((await audit('totp.removed')).length, 1);
    });
  });

  describe('text-message codes', () => {
    let cookie: string;

    it('enrols a phone number by a code sent to it', async () => {
      cookie = (await signIn('rita')).cookie!;
      assert.equal((await call('POST', '/api/factors/sms', { phone: '555 0123' }, cookie)).status, 400);
      const sent = await call('POST', '/api/factors/sms', { phone: '+1 507 555 0123' }, cookie);
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const code = /^(\d{6}) is your/m.exec(lastText())![1]!;
      assert.match(lastText(), /^To: \+15075550123/);
      const ok = await call('POST', '/api/factors/sms/confirm', { flow: sent.body.flow, code }, cookie);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.recoveryCodes.length, 10);
      await expectMail(/Text-message codes were set up/);
    });

    it('signs in with a texted code: 6 digits, single use, 10 minutes; a resend keeps the failure count', async () => {
      const first = await signIn('rita');
      assert.deepEqual(first.body.methods, ['sms', 'recovery']);
      assert.equal(first.body.smsTo, '+1••••••0123');
      const before = textCount();
      assert.equal((await call('POST', '/api/session/second-factor/sms', { flow: first.body.flow })).status, 200);
      assert.equal(textCount(), before + 1);
      const code = /^(\d{6}) is your/m.exec(lastText())![1]!;
      for (let i = 0; i < 3; i++)
        assert.equal(
          (
            await call('POST', '/api/session/second-factor', {
              flow: first.body.flow,
              method: 'sms',
              code: code === '000000' ? '111111' : '000000',
            })
          ).status,
          401,
        );
      // A resend: a new code, the old one dies, the three failures still count.
      assert.equal((await call('POST', '/api/session/second-factor/sms', { flow: first.body.flow })).status, 200);
      const second = /^(\d{6}) is your/m.exec(lastText())![1]!;
      const counter = await t.testStore.store.db
        .selectFrom('login_throttle')
        .select('failures')
        .where('key', 'like', 'sms:%')
        .executeTakeFirstOrThrow();
      assert.equal(counter.failures, 3);
      if (second !== code)
        assert.equal(
          (await call('POST', '/api/session/second-factor', { flow: first.body.flow, method: 'sms', code })).status,
          401,
        );
      advance(10 * 60_000 + 1000);
      const late = await call('POST', '/api/session/second-factor', {
        flow: first.body.flow,
        method: 'sms',
        code: second,
      });
      assert.equal(late.status, 410);
      const again = await signIn('rita');
      await call('POST', '/api/session/second-factor/sms', { flow: again.body.flow });
      const fresh = /^(\d{6}) is your/m.exec(lastText())![1]!;
      const ok = await call('POST', '/api/session/second-factor', {
        flow: again.body.flow,
        method: 'sms',
        code: fresh,
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(
        (await call('POST', '/api/session/second-factor', { flow: again.body.flow, method: 'sms', code: fresh }))
          .status,
        410,
        'single use',
      );
    });

    it('refuses a method the account does not have', async () => {
      const first = await signIn('rita');
      const res = await call('POST', '/api/session/second-factor', {
        flow: first.body.flow,
        method: 'totp',
        code: '123456',
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'method_unavailable');
    });
  });

  describe('staff', () => {
    it('must use passkeys: no sign-in without one; the set-up session can add the first passkey and nothing else', async () => {
      const refused = await signIn('drlee');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error, 'passkey_setup_required');
      assert.equal(refused.cookie, undefined);
      const staff = await t.testStore.store.db
        .selectFrom('account')
        .select('id')
        .where('username', '=', 'drlee')
        .executeTakeFirstOrThrow();
      const link = await insertSetUpLink(t, staff.id, now);
      const enrolled = await call('POST', '/api/staff-enrol', { token: link, username: 'drlee', password: PASSWORD });
      assert.equal(enrolled.status, 201);
      const cookie = enrolled.cookie!;
      assert.equal((await call('GET', '/api/session', undefined, cookie)).body.authLevel, 'enrol');
      const audit = await call('GET', '/api/audit', undefined, cookie);
      assert.equal(audit.status, 403);
      assert.equal(audit.body.error, 'passkey_required');
      assert.equal((await call('POST', '/api/factors/totp', {}, cookie)).body.error, 'staff_passkeys_only');
      const key = new SoftAuthenticator(t.config.publicOrigin);
      const added = await addPasskey(cookie, key, 'Clinic key');
      assert.equal(added.status, 201);
      assert.equal(added.body.recoveryCodes, undefined, 'staff recover through an administrator');
      // Confirming with the new passkey upgrades this session.
      const options = await call('POST', '/api/session/reauth/passkey-options', {}, cookie);
      const up = await call(
        'POST',
        '/api/session/reauth/passkey',
        { response: key.authenticate(options.body as any) },
        cookie,
      );
      assert.equal(up.status, 200, JSON.stringify(up.body));
      assert.equal(up.body.authLevel, 'passkey');
      assert.equal((await call('GET', '/api/audit', undefined, up.cookie)).status, 200);
      // From now on a password must be followed by the passkey.
      const next = await signIn('drlee');
      assert.deepEqual(next.body.methods, ['passkey']);
      const o2 = await call('POST', '/api/session/second-factor/passkey-options', { flow: next.body.flow });
      assert.equal(o2.body.allowCredentials.length, 1);
      const done = await call('POST', '/api/session/second-factor', {
        flow: next.body.flow,
        method: 'passkey',
        response: key.authenticate(o2.body as any),
      });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.authLevel, 'passkey');
      // The last passkey of a staff account stays.
      const list = await call('GET', '/api/factors', undefined, done.cookie);
      const removed = await call(
        'DELETE',
        `/api/factors/passkeys/${encodeURIComponent(list.body.passkeys[0].id)}`,
        undefined,
        done.cookie,
      );
      assert.equal(removed.status, 409);
      assert.equal(removed.body.error, 'last_passkey');
    });
  });

  it('limits anonymous passkey challenges per address (60 a minute), so they cannot fill the database', async () => {
    advance(60_000);
    const statuses = [];
    for (let i = 0; i < 61; i++) statuses.push((await call('POST', '/api/session/passkey-options', {})).status);
    assert.deepEqual([statuses.slice(0, 60).every((s) => s === 200), statuses[60]], [true, 429]);
    advance(60_000);
    assert.equal((await call('POST', '/api/session/passkey-options', {})).status, 200);
  });

  it('deletes expired challenges and flows a day after they expire', async () => {
    for (let i = 0; i < 3; i++) await call('POST', '/api/session/passkey-options', {});
    const count = async () =>
      Number(
        (
          await t.testStore.store.db
            .selectFrom('one_time_token')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    assert.equal(await purgeExpiredTokens(t.testStore.store.db, now), 0, 'nothing is a day past expiry yet');
    advance(25 * 3600_000);
    assert.ok((await purgeExpiredTokens(t.testStore.store.db, now)) >= 3);
    assert.ok((await count()) < before);
  });

  it('kept the audit chain whole through all of it', async () => {
    const verdict = await verifyAuditLog(t.testStore.store.db);
    assert.equal(verdict.ok, true);
  });
});
