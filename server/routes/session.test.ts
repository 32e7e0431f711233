import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../testing/app.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { verifyAuditLog } from '../audit/log.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';

const PASSWORD = 'correct horse battery staple';

describe('sign-in, sessions and sign-out', () => {
  let t: TestApp;
  let now = new Date('2026-11-25T12:00:00Z');
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  let headers: Record<string, string>;

  const call = (method: string, path: string, body?: unknown, cookie?: string) =>
    t.app.request(path, {
      method,
      headers: {
        ...headers,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...(cookie ? { Cookie: cookie } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const signIn = (login: string, password = PASSWORD) => call('POST', '/api/session', { login, password });
  const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    headers = { Origin: t.config.publicOrigin, [CSRF_HEADER]: CSRF_HEADER_VALUE };
    const hash = await hashPassword(PASSWORD);
    for (const [username, verified] of [
      ['margery', true],
      ['reyna', true],
      ['newbie', false],
      ['timing', true],
    ] as const) {
      const a = await createAccount(
        t.testStore.store.db,
        { kind: 'patient', username, email: `${username}@example.com`, displayName: username, passwordHash: hash },
        now,
      );
      if (verified)
        await t.testStore.store.db
          .updateTable('account')
          .set({ email_verified_at: now.toISOString() })
          .where('id', '=', a.id)
          .execute();
    }
  });
  after(async () => {
    await t.close();
  });

  it('signs in with username or email and sets a __Host- cookie the server controls', async () => {
    const res = await signIn('Margery');
    assert.equal(res.status, 200);
    const body = (await res.json()) as { account: { username: string }; idleSeconds: number };
    assert.equal(body.account.username, 'margery');
    assert.equal(body.idleSeconds, 900);
    const cookie = res.headers.get('set-cookie')!;
    assert.match(cookie, /^__Host-mcl_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    assert.ok(!/Max-Age|Expires/i.test(cookie), 'the cookie must not carry the timeout');
    assert.equal((await signIn('margery@EXAMPLE.com')).status, 200);
  });

  it('makes a new session id at every sign-in', async () => {
    assert.notEqual(cookieOf(await signIn('margery')), cookieOf(await signIn('margery')));
  });

  it('answers who is signed in, and 401 without a session', async () => {
    const cookie = cookieOf(await signIn('margery'));
    const me = await call('GET', '/api/session', undefined, cookie);
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { account: { username: string } }).account.username, 'margery');
    const anon = await call('GET', '/api/session');
    assert.equal(anon.status, 401);
    assert.deepEqual(await anon.json(), { error: 'not_signed_in', message: 'Please sign in.' });
  });

  it('does not reveal whether an account exists: same status and body, similar time', async () => {
    const wrong = await signIn('reyna', 'not the password at all');
    const unknown = await signIn('nobody-by-this-name', 'not the password at all');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, wrong.status);
    assert.deepEqual(await unknown.json(), await wrong.json());
    // Timing: both paths verify one argon2id hash. Compared by the fastest of 4 interleaved tries each (the least
    // disturbed by other tests sharing the machine): within 3x. Without the dummy hash a missing account would
    // answer about 50 times faster.
    const times = { known: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 4; i++) {
      for (const [kind, login] of [
        ['known', 'timing'],
        ['unknown', `ghost-${i}`],
      ] as const) {
        const start = performance.now();
        await signIn(login, `wrong password ${i}`);
        times[kind].push(performance.now() - start);
      }
    }
    const fastest = (xs: number[]) => Math.min(...xs);
    const ratio = fastest(times.known) / fastest(times.unknown);
    assert.ok(
      ratio > 1 / 3 && ratio < 3,
      `known ${fastest(times.known).toFixed(1)} ms vs unknown ${fastest(times.unknown).toFixed(1)} ms`,
    );
  });

  it('slows down guessing per account after 5 failures, tells the holder, and a success clears it', async () => {
    for (let i = 1; i <= 4; i++) assert.equal((await signIn('reyna', `guess ${i}`)).status, 401);
    const fifth = await signIn('reyna', 'guess 5'); // failures 1 came from the test above: this is the 6th
    assert.equal(fifth.status, 429);
    assert.equal(fifth.headers.get('retry-after'), '30');
    assert.match(((await fifth.json()) as { message: string }).message, /wait 30 seconds/);
    // Even the right password waits: the counter is per account, not per address.
    assert.equal((await signIn('reyna')).status, 429);
    advance(31_000);
    assert.equal((await signIn('reyna')).status, 200);
    assert.equal((await signIn('reyna', 'oops')).status, 401, 'the success cleared the counter');
    // The holder was emailed when the fifth failure came in.
    const outbox = join(t.config.dataDir, 'mail');
    for (let i = 0; i < 50 && !(existsSync(outbox) && readdirSync(outbox).length); i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(readdirSync(outbox).length, 1);
  });

  it('counts a burst of parallel guesses before checking them, so the back-off cannot be outrun', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => (await signIn('no-such-user-burst', `guess ${i}`)).status),
    );
    assert.deepEqual(
      statuses.sort(),
      [...Array(5).fill(401), ...Array(7).fill(429)],
      'only the 5 free attempts may be checked; the rest must wait',
    );
  });

  it('throttles a name with no account exactly like one with an account', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await signIn('no-such-user', 'x')).status, 401);
    assert.equal((await signIn('no-such-user', 'x')).status, 429);
  });

  it('blocks password sign-in after 100 consecutive failures', async () => {
    const key =
      'account:' +
      (
        await t.testStore.store.db
          .selectFrom('account')
          .select('id')
          .where('username', '=', 'margery')
          .executeTakeFirstOrThrow()
      ).id;
    await t.testStore.store.db
      .insertInto('login_throttle')
      .values({ key, failures: 100, last_failure_at: '2000-01-01T00:00:00Z' })
      .execute();
    const res = await signIn('margery');
    assert.equal(res.status, 429);
    assert.equal(((await res.json()) as { error: string }).error, 'sign_in_disabled');
    await t.testStore.store.db.deleteFrom('login_throttle').where('key', '=', key).execute();
  });

  it('asks for the email to be confirmed first', async () => {
    const res = await signIn('newbie');
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: string }).error, 'email_unverified');
  });

  it('ends a session after 15 idle minutes, keeps it while active, and audits the timeout once', async () => {
    const cookie = cookieOf(await signIn('margery'));
    advance(14 * 60_000);
    const kept = await call('POST', '/api/session/keepalive', undefined, cookie);
    assert.equal(kept.status, 200);
    assert.equal(
      ((await kept.json()) as { idleExpiresAt: string }).idleExpiresAt,
      new Date(now.getTime() + 900_000).toISOString(),
    );
    // "Stay signed in" counts at once, even seconds after the last request.
    advance(5_000);
    const again = await call('POST', '/api/session/keepalive', undefined, cookie);
    assert.equal(
      ((await again.json()) as { idleExpiresAt: string }).idleExpiresAt,
      new Date(now.getTime() + 900_000).toISOString(),
    );
    advance(14 * 60_000);
    // A status poll does not count as activity...
    assert.equal((await call('GET', '/api/session', undefined, cookie)).status, 200);
    advance(61_000);
    // ...so 15 minutes after the keep-alive the session is over.
    const ended = await call('GET', '/api/session', undefined, cookie);
    assert.equal(ended.status, 401);
    assert.deepEqual(await ended.json(), {
      error: 'session_ended',
      reason: 'idle-timeout',
      message: 'You were signed out after a period of inactivity. Please sign in again.',
    });
    assert.equal((await call('GET', '/api/session', undefined, cookie)).status, 401);
    const timeouts = await t.testStore.store.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'session.timeout')
      .execute();
    assert.equal(timeouts.length, 1);
  });

  it('signs out on the server: the old cookie no longer works', async () => {
    const cookie = cookieOf(await signIn('margery'));
    const out = await call('DELETE', '/api/session', undefined, cookie);
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /__Host-mcl_session=; .*Max-Age=0/);
    assert.equal((await call('GET', '/api/session', undefined, cookie)).status, 401);
  });

  it("lists the account's sessions and ends another one", async () => {
    const phone = cookieOf(await signIn('reyna'));
    const laptop = cookieOf(await signIn('reyna'));
    const list = (await (await call('GET', '/api/session/all', undefined, laptop)).json()) as {
      sessions: { handle: string; current: boolean }[];
    };
    assert.ok(list.sessions.length >= 2);
    const other = list.sessions.find((s) => !s.current)!;
    assert.equal((await call('DELETE', `/api/session/all/${other.handle}`, undefined, laptop)).status, 204);
    assert.equal((await call('DELETE', `/api/session/all/${other.handle}`, undefined, laptop)).status, 404);
    const phoneNow = await call('GET', '/api/session', undefined, phone);
    const laptopNow = await call('GET', '/api/session', undefined, laptop);
    assert.deepEqual([phoneNow.status, laptopNow.status].sort(), [200, 401]);
  });

  it('refuses bad input with a reason, and cross-site sign-in attempts', async () => {
    const missing = await call('POST', '/api/session', { login: 'margery' });
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { message: string }).message, /password/);
    const long = await call('POST', '/api/session', { login: 'x'.repeat(1000), password: 'y' });
    assert.equal(long.status, 400);
    const extra = await call('POST', '/api/session', { login: 'margery', password: PASSWORD, admin: true });
    assert.equal(extra.status, 400);
    const crossSite = await t.app.request('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ login: 'margery', password: PASSWORD }),
    });
    assert.equal(crossSite.status, 403);
  });

  it('recorded every sign-in, failure, throttle and sign-out in an unbroken audit chain', async () => {
    const actions = new Set(
      (await t.testStore.store.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action),
    );
    for (const a of ['sign-in', 'sign-in.failed', 'sign-in.throttled', 'sign-out', 'session.timeout', 'session.end'])
      assert.ok(actions.has(a), a);
    assert.equal((await verifyAuditLog(t.testStore.store.db)).ok, true);
  });
});
