import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storeFactories, type TestStore } from '../testing/stores.js';
import { createAccount, findAccountByLogin } from './accounts.js';
import { createSession, endAllSessions, endSession, listOpenSessions, lookupSession } from './sessions.js';
import { hashToken } from './tokens.js';

const policy = { idleMs: 15 * 60_000, maxMs: 12 * 3600_000 };
const at = (iso: string) => new Date(`2026-11-25T${iso}Z`);

for (const factory of storeFactories) {
  describe(`accounts and sessions on ${factory.name}`, () => {
    let t: TestStore;
    let accountId: string;
    before(async () => {
      t = await factory.open();
      accountId = (
        await createAccount(
          t.store.db,
          { kind: 'patient', username: 'Margery', email: 'Margery@Example.com', displayName: 'Margery Gibson' },
          at('08:00:00'),
        )
      ).id;
    });
    after(async () => {
      await t?.cleanup();
    });

    it('finds an account by username or email, however it is typed', async () => {
      assert.equal((await findAccountByLogin(t.store.db, 'ｍａｒｇｅｒｙ'))?.id, accountId);
      assert.equal((await findAccountByLogin(t.store.db, ' margery@EXAMPLE.com '))?.id, accountId);
      assert.equal(await findAccountByLogin(t.store.db, 'someone-else'), undefined);
    });

    it('refuses a second account with the same username or email', async () => {
      await assert.rejects(
        createAccount(
          t.store.db,
          { kind: 'patient', username: 'MARGERY', email: 'x@example.com', displayName: 'x' },
          at('08:00:00'),
        ),
      );
      await assert.rejects(
        createAccount(
          t.store.db,
          { kind: 'patient', username: 'other', email: 'margery@example.com', displayName: 'x' },
          at('08:00:00'),
        ),
      );
    });

    it('stores only the hash of the session id, and finds the session by the id', async () => {
      const s = await createSession(
        t.store.db,
        accountId,
        { ip: '127.0.0.1', userAgent: 'test' },
        at('09:00:00'),
        policy,
      );
      assert.match(s.token, /^[A-Za-z0-9_-]{43}$/);
      const rows = await t.store.db.selectFrom('session').select('id_hash').execute();
      assert.ok(rows.every((r) => r.id_hash !== s.token));
      assert.ok(rows.some((r) => r.id_hash === hashToken(s.token)));
      const found = await lookupSession(t.store.db, s.token, at('09:05:00'), policy);
      assert.equal(found.status, 'active');
      assert.equal(found.status === 'active' && found.account.id, accountId);
      assert.equal((await lookupSession(t.store.db, 'not-a-session', at('09:05:00'), policy)).status, 'missing');
    });

    it('ends a session after 15 idle minutes, and activity keeps it going', async () => {
      const s = await createSession(t.store.db, accountId, {}, at('10:00:00'), policy);
      assert.equal((await lookupSession(t.store.db, s.token, at('10:14:00'), policy)).status, 'active'); // touches
      assert.equal((await lookupSession(t.store.db, s.token, at('10:28:00'), policy)).status, 'active');
      const late = await lookupSession(t.store.db, s.token, at('10:43:01'), policy);
      assert.deepEqual(late, { status: 'ended', reason: 'idle-timeout', accountId, justEnded: true });
      // Once ended, never active again.
      assert.equal((await lookupSession(t.store.db, s.token, at('10:43:02'), policy)).status, 'ended');
    });

    it('a status poll does not keep a session alive', async () => {
      const s = await createSession(t.store.db, accountId, {}, at('11:00:00'), policy);
      assert.equal((await lookupSession(t.store.db, s.token, at('11:14:00'), policy, false)).status, 'active');
      assert.equal((await lookupSession(t.store.db, s.token, at('11:15:00'), policy, false)).status, 'ended');
    });

    it('ends a session at the overall limit whatever the activity', async () => {
      const s = await createSession(t.store.db, accountId, {}, at('00:00:00'), {
        idleMs: policy.idleMs,
        maxMs: 60 * 60_000,
      });
      for (const time of ['00:14:00', '00:28:00', '00:42:00', '00:56:00']) {
        assert.equal((await lookupSession(t.store.db, s.token, at(time), policy)).status, 'active', time);
      }
      assert.deepEqual(await lookupSession(t.store.db, s.token, at('01:00:00'), policy), {
        status: 'ended',
        reason: 'expired',
        accountId,
        justEnded: true,
      });
    });

    it('lists open sessions and ends one, or all but the current one', async () => {
      await endAllSessions(t.store.db, accountId, 'test-reset', at('12:00:00'));
      const a = await createSession(t.store.db, accountId, { userAgent: 'phone' }, at('12:00:00'), policy);
      const b = await createSession(t.store.db, accountId, { userAgent: 'laptop' }, at('12:01:00'), policy);
      const c = await createSession(t.store.db, accountId, { userAgent: 'kiosk' }, at('12:02:00'), policy);
      assert.deepEqual(
        (await listOpenSessions(t.store.db, accountId, at('12:03:00'), policy)).map((s) => s.user_agent),
        ['kiosk', 'laptop', 'phone'],
      );
      assert.equal(await endSession(t.store.db, c.idHash, 'ended-by-user', at('12:04:00')), true);
      assert.equal(await endSession(t.store.db, c.idHash, 'ended-by-user', at('12:04:00')), false);
      assert.equal(await endAllSessions(t.store.db, accountId, 'password-reset', at('12:05:00'), a.idHash), 1);
      assert.deepEqual(
        (await listOpenSessions(t.store.db, accountId, at('12:06:00'), policy)).map((s) => s.id_hash),
        [a.idHash],
      );
      assert.equal((await lookupSession(t.store.db, b.token, at('12:06:00'), policy)).status, 'ended');
    });

    it('ends the sessions of a disabled account at their next request', async () => {
      const s = await createSession(t.store.db, accountId, {}, at('13:00:00'), policy);
      await t.store.db
        .updateTable('account')
        .set({ disabled_at: at('13:01:00').toISOString() })
        .where('id', '=', accountId)
        .execute();
      assert.deepEqual(await lookupSession(t.store.db, s.token, at('13:02:00'), policy), {
        status: 'ended',
        reason: 'account-disabled',
        accountId,
        justEnded: true,
      });
    });
  });
}
