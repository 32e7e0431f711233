import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { passwordCookie, verifiedPatient } from '../testing/accounts.js';
import { storeFactories } from '../testing/stores.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { putResources } from '../store/resources.js';
import { withTransaction } from '../store/store.js';
import { latestSeq, listChanges } from '../store/changes.js';
import { staffPasskeySession } from '../testing/staff-session.js';

const PASSWORD = 'correct horse battery staple';
type Json = Record<string, any>;

for (const factory of storeFactories)
  describe(`a patient marks a conversation read on ${factory.name}: their own only, up to a message, once`, () => {
    let t: TestApp;
    let now = new Date('2026-11-25T12:00:00Z');
    const cookies: Record<string, string> = {};
    const ids: Record<string, string> = {};

    const call = async (method: string, path: string, who: string, body?: unknown) => {
      const res = await t.app.request(path, {
        method,
        headers: {
          Origin: t.config.publicOrigin,
          [CSRF_HEADER]: CSRF_HEADER_VALUE,
          Cookie: cookies[who] ?? '',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const read = (thread: string, body: unknown, who = 'reyna') =>
      call('POST', `/api/messages/threads/${thread}/read`, who, body);
    /** The conversation as the patient's devices see it: the latest of each message in her feed. */
    const conversation = async (patient = ids.reyna!) => {
      const latest = new Map<string, Json>();
      for (const c of await listChanges(t.testStore.store.db, patient, 0, 50_000))
        if (c.resourceType === 'Communication' && c.resource) latest.set(c.id, c.resource as Json);
      return latest;
    };
    const audit = (action: string) =>
      t.testStore.store.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();
    const reply = async (text: string, key: string) => {
      now = new Date(now.getTime() + 60_000);
      const answer = await t.app.request(`/api/staff/messages/${ids.thread}/reply`, {
        method: 'POST',
        headers: {
          Origin: t.config.publicOrigin,
          [CSRF_HEADER]: CSRF_HEADER_VALUE,
          Cookie: cookies.drlee!,
          'Content-Type': 'application/json',
          'Idempotency-Key': key,
        },
        body: JSON.stringify({ body: text }),
      });
      assert.equal(answer.status, 201);
      return ((await answer.json()) as Json).message.id as string;
    };

    before(async () => {
      t = await createTestApp({ clock: { now: () => now }, testStore: await factory.open() });
      const store = t.testStore.store;
      const hash = await hashPassword(PASSWORD);
      for (const [username, patientId] of [
        ['reyna', 'p-reyna'],
        ['margery', 'p-margery'],
      ] as const) {
        ids[username] = patientId;
        await withTransaction(store, (trx) =>
          putResources(
            trx,
            store.dialect,
            [{ resourceType: 'Patient', id: patientId, name: [{ family: username, given: [username] }] }],
            now,
          ),
        );
        await verifiedPatient(store, username, patientId, hash, now);
        cookies[username] = await passwordCookie(t, username, PASSWORD);
      }
      const staff = await createAccount(
        store.db,
        {
          kind: 'staff',
          username: 'drlee',
          email: 'drlee@clinic.example',
          displayName: 'Dr Lee',
          role: 'clinician',
          passwordHash: hash,
        },
        now,
      );
      await store.db
        .updateTable('account')
        .set({ email_verified_at: now.toISOString() })
        .where('id', '=', staff.id)
        .execute();
      cookies.drlee = await staffPasskeySession(t, 'drlee', PASSWORD);
      // Reyna writes; Dr Lee answers twice.
      const sent = await t.app.request('/api/messages', {
        method: 'POST',
        headers: {
          Origin: t.config.publicOrigin,
          [CSRF_HEADER]: CSRF_HEADER_VALUE,
          Cookie: cookies.reyna!,
          'Content-Type': 'application/json',
          'Idempotency-Key': 'read-test-0001',
        },
        body: JSON.stringify({
          patientId: ids.reyna,
          recipient: 'department:primary-care',
          subject: 'Knee',
          body: 'My knee hurts.',
        }),
      });
      assert.equal(sent.status, 201);
      ids.thread = ((await sent.json()) as Json).message.id;
      ids.first = await reply('Rest it for a week.', 'read-test-0002');
      ids.second = await reply('And come in on Thursday.', 'read-test-0003');
    });
    after(() => t.close());

    it('refuses bad input with a reason: no body, wrong type, a bad or foreign message id, extra fields', async () => {
      const before = await latestSeq(t.testStore.store.db, ids.reyna!);
      const missing = await read(ids.thread!, {});
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error, 'invalid_body');
      assert.match(missing.body.message, /upTo/);
      const notJson = await read(ids.thread!, 'up to the end');
      assert.equal(notJson.status, 400);
      assert.equal(notJson.body.error, 'invalid_json');
      const badId = await read(ids.thread!, { upTo: '../x' });
      assert.equal(badId.status, 400);
      assert.match(badId.body.message, /upTo: not a message id/);
      const extra = await read(ids.thread!, { upTo: ids.first, everything: true });
      assert.equal(extra.status, 400);
      const elsewhere = await read(ids.thread!, { upTo: 'no-such-message' });
      assert.equal(elsewhere.status, 400);
      assert.equal(elsewhere.body.error, 'not_in_thread');
      assert.match(elsewhere.body.message, /not part of this conversation/);
      assert.equal(await latestSeq(t.testStore.store.db, ids.reyna!), before, 'nothing written');
    });

    it("another patient's conversation, staff, or no session: refused as if missing (404 / 401), audited, nothing marked", async () => {
      const denied = (await audit('message.access-denied')).length;
      const foreign = await read(ids.thread!, { upTo: ids.second }, 'margery');
      const missing = await read('no-such-thread', { upTo: ids.second }, 'margery');
      assert.equal(foreign.status, 404);
      assert.deepEqual(foreign.body, missing.body, 'a conversation of someone else looks like none');
      assert.equal((await read(ids.thread!, { upTo: ids.second }, 'drlee')).status, 404);
      assert.equal((await read(ids.thread!, { upTo: ids.second }, 'nobody')).status, 401);
      assert.equal((await audit('message.access-denied')).length, denied + 3);
      assert.ok([...(await conversation()).values()].every((m) => m.received === undefined));
    });

    it('marks the care team’s replies read up to the message shown (not later ones), through the feed, audited', async () => {
      const cursor = await latestSeq(t.testStore.store.db, ids.reyna!);
      now = new Date(now.getTime() + 60_000);
      const first = await read(ids.thread!, { upTo: ids.first });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(first.body, { thread: ids.thread, upTo: ids.first, read: 1 });
      // The other devices learn of it from the feed: one change, the reply with `received`.
      const changes = await listChanges(t.testStore.store.db, ids.reyna!, cursor);
      assert.deepEqual(
        changes.map((c) => `${c.resourceType}/${c.id}`),
        [`Communication/${ids.first}`],
      );
      assert.equal((changes[0]!.resource as Json).received, now.toISOString());
      const messages = await conversation();
      assert.equal(messages.get(ids.second!)!.received, undefined, 'a later reply stays unread');
      assert.equal(messages.get(ids.thread!)!.received, undefined, "the patient's own message is not marked");
      const [entry] = await audit('message.read');
      assert.equal(entry!.target, `Communication/${ids.thread}`);
      assert.equal(entry!.on_behalf_of, ids.reyna);
      assert.equal(entry!.detail, '1 reply');
    });

    it('is idempotent: a repeat (a retry, a second device) marks nothing again and keeps the first time', async () => {
      const all = await read(ids.thread!, { upTo: ids.second });
      assert.deepEqual(all.body, { thread: ids.thread, upTo: ids.second, read: 1 });
      const first = (await conversation()).get(ids.first!)!.received;
      const cursor = await latestSeq(t.testStore.store.db, ids.reyna!);
      now = new Date(now.getTime() + 60_000);
      for (const upTo of [ids.second, ids.first, ids.thread]) {
        const again = await read(ids.thread!, { upTo });
        assert.equal(again.status, 200);
        assert.equal(again.body.read, 0);
      }
      assert.equal(await latestSeq(t.testStore.store.db, ids.reyna!), cursor, 'no change in the feed');
      assert.equal((await conversation()).get(ids.first!)!.received, first);
      assert.equal((await audit('message.read')).length, 2, 'only reads that marked something are audited');
    });

    it('a new reply after that is unread again until it is read', async () => {
      const third = await reply('Bring your running shoes.', 'read-test-0004');
      assert.equal((await conversation()).get(third)!.received, undefined);
      assert.equal((await read(ids.thread!, { upTo: third })).body.read, 1);
      assert.ok([...(await conversation()).values()].filter((m) => m.id !== ids.thread).every((m) => m.received));
    });
  });
