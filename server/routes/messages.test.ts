import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/app.js';
import { passwordCookie } from '../testing/accounts.js';
import { storeFactories } from '../testing/stores.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { importFile } from '../fhir/import.js';
import { sharedFiles } from '../testing/fhir-data.js';
import { requestHash } from '../http/idempotency.js';
import { listChanges } from '../store/changes.js';
import { staffPasskeySession } from '../testing/staff-session.js';
import { readOutbox } from '../testing/mail.js';
import { EXE_HEADER, PNG_1PX, samplePdf } from '../testing/files.js';

const PASSWORD = 'correct horse battery staple';
type Json = Record<string, any>;

for (const factory of storeFactories)
  describe(`secure messages on ${factory.name}: exactly once, files checked by content, care-team inbox`, () => {
    let t: TestApp;
    let now = new Date('2026-11-25T12:00:00Z');
    const cookies: Record<string, string> = {};
    const ids: Record<string, string> = {};
    let pdf: Buffer;

    const call = async (
      method: string,
      path: string,
      who: string,
      body?: unknown,
      extra: Record<string, string> = {},
    ) => {
      const res = await t.app.request(path, {
        method,
        headers: {
          Origin: t.config.publicOrigin,
          [CSRF_HEADER]: CSRF_HEADER_VALUE,
          Cookie: cookies[who] ?? '',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...extra,
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const type = res.headers.get('content-type') ?? '';
      return {
        status: res.status,
        headers: res.headers,
        body: (type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer())) as Json,
        replayed: res.headers.get('idempotent-replayed'),
      };
    };
    const send = (body: Json, key: string | undefined, who = 'reyna') =>
      call('POST', '/api/messages', who, body, key ? { 'Idempotency-Key': key } : {});
    const feed = async (patient: string, type: string) =>
      (await listChanges(t.testStore.store.db, patient, 0, 50_000))
        .filter((c) => c.resourceType === type && c.resource)
        .map((c) => c.resource as Json);
    const messages = (patient = ids.reyna!) => feed(patient, 'Communication');
    const denials = (action: string) =>
      t.testStore.store.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();

    before(async () => {
      t = await createTestApp({ clock: { now: () => now }, testStore: await factory.open() });
      const store = t.testStore.store;
      pdf = await samplePdf('My blood pressure readings');
      const hash = await hashPassword(PASSWORD);
      for (const [username, match] of [
        ['reyna', 'Reyna_Ziemann'],
        ['margery', 'Margery'],
      ] as const) {
        ids[username] = (
          await importFile(
            store,
            sharedFiles('patients').find((f) => f.includes(match))!,
            { now },
          )
        ).patients[0]!;
        const a = await createAccount(
          store.db,
          {
            kind: 'patient',
            username,
            email: `${username}@example.com`,
            displayName: username,
            passwordHash: hash,
            patientId: ids[username],
          },
          now,
        );
        await store.db
          .updateTable('account')
          .set({ email_verified_at: now.toISOString() })
          .where('id', '=', a.id)
          .execute();
        ids[`${username}Account`] = a.id;
        cookies[username] = await passwordCookie(t, username, PASSWORD);
      }
      for (const [username, role] of [
        ['drlee', 'clinician'],
        ['desk', 'helpdesk'],
      ] as const) {
        const a = await createAccount(
          store.db,
          {
            kind: 'staff',
            username,
            email: `${username}@clinic.example`,
            displayName: username === 'drlee' ? 'Dr Lee' : 'Help Desk',
            role,
            passwordHash: hash,
          },
          now,
        );
        await store.db
          .updateTable('account')
          .set({ email_verified_at: now.toISOString() })
          .where('id', '=', a.id)
          .execute();
        cookies[username] = await staffPasskeySession(t, username, PASSWORD);
      }
    });
    after(() => t.close());

    it('lists who the patient may write to: departments, care teams and clinicians of their visits; not for another record', async () => {
      const mine = await call('GET', `/api/messages/recipients?patient=${ids.reyna}`, 'reyna');
      assert.equal(mine.status, 200);
      const kinds = new Set(mine.body.recipients.map((r: Json) => r.kind));
      assert.ok(kinds.has('department') && kinds.has('clinician'), JSON.stringify(mine.body.recipients.slice(0, 8)));
      assert.ok(
        mine.body.recipients.some((r: Json) => r.key === 'department:primary-care' && r.name === 'Primary care team'),
      );
      const other = await call('GET', `/api/messages/recipients?patient=${ids.reyna}`, 'margery');
      assert.equal(other.status, 404);
      assert.equal((await denials('message.access-denied')).length, 1);
    });

    it('sends a new conversation with a PDF once: Communication + Binary in the record, the inbox row, a replay answers the same', async () => {
      const body = {
        patientId: ids.reyna,
        recipient: 'department:primary-care',
        subject: 'Blood pressure readings',
        body: 'Here are my readings from this week.',
        attachments: [{ name: 'readings.pdf', data: pdf.toString('base64') }],
      };
      const first = await send(body, 'message-0001');
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const message = first.body.message as Json;
      assert.equal(message.resourceType, 'Communication');
      assert.equal(message.topic.text, 'Blood pressure readings');
      assert.equal(message.recipient[0].display, 'Primary care team');
      const file = message.payload[1].contentAttachment;
      assert.equal(file.contentType, 'application/pdf');
      assert.equal(file.size, pdf.length);
      const [binary] = await feed(ids.reyna!, 'Binary');
      assert.equal(`Binary/${binary!.id}`, file.url);
      assert.equal(Buffer.from(binary!.data, 'base64').equals(pdf), true, 'the bytes are kept as sent');
      const again = await send(body, 'message-0001');
      assert.equal(again.status, 201);
      assert.equal(again.replayed, 'true');
      assert.deepEqual(again.body, first.body);
      assert.equal((await messages()).length, 1);
      const row = await t.testStore.store.db
        .selectFrom('message_thread')
        .selectAll()
        .where('id', '=', message.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.last_from, 'patient');
      assert.equal(row.team_key, 'department:primary-care');
      ids.thread = message.id;
      // Feed pages stop by size too: large files cannot make one answer too big to build.
      const all = await listChanges(t.testStore.store.db, ids.reyna!, 0, 50_000);
      assert.equal(
        (await listChanges(t.testStore.store.db, ids.reyna!, 0, 50_000, 1)).length,
        1,
        'at least one change, however large',
      );
      assert.equal(
        (await listChanges(t.testStore.store.db, ids.reyna!, 0, 50_000, 10 * 1024 * 1024)).length,
        all.length,
      );
    });

    it('Idempotency-Key: missing → 400, another body with the same key → 422, in flight → 409; nothing extra stored', async () => {
      const body = { patientId: ids.reyna, thread: ids.thread, body: 'One more thing.' };
      assert.equal((await send(body, undefined)).body.error, 'idempotency_key_missing');
      const reused = await send(body, 'message-0001');
      assert.equal(reused.status, 422);
      assert.equal(reused.body.error, 'idempotency_key_reused');
      const raw = JSON.stringify(body);
      await t.testStore.store.db
        .insertInto('idempotency_key')
        .values({
          account_id: ids.reynaAccount!,
          key: 'message-0002',
          request_hash: requestHash('POST', '/api/messages', raw),
          lease_token: 'other',
          lease_until: new Date(now.getTime() + 60_000).toISOString(),
          response_status: null,
          response_body: null,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + 48 * 3600_000).toISOString(),
        })
        .execute();
      const busy = await send(body, 'message-0002');
      assert.equal(busy.status, 409);
      assert.equal(busy.body.error, 'request_in_progress');
      assert.equal((await messages()).length, 1);
    });

    it('100 concurrent retries of one key make exactly one message', async () => {
      const body = { patientId: ids.reyna, thread: ids.thread, body: 'Sent from a flaky connection.' };
      const results = await Promise.all(Array.from({ length: 100 }, () => send(body, 'message-0003')));
      assert.ok(
        results.every((r) => r.status === 201 || r.status === 409),
        results.map((r) => r.status).join(','),
      );
      const created = results.filter((r) => r.status === 201);
      assert.ok(created.length >= 1);
      assert.equal(new Set(created.map((r) => r.body.message.id)).size, 1, 'every 201 is the same message');
      // The ones told 409 retry later and get the stored answer.
      const later = await send(body, 'message-0003');
      assert.equal(later.body.message.id, created[0]!.body.message.id);
      assert.equal(
        (await messages()).filter((m) => m.payload[0].contentString === 'Sent from a flaky connection.').length,
        1,
      );
      assert.deepEqual(
        (await messages()).find((m) => m.payload[0].contentString === 'Sent from a flaky connection.')!.inResponseTo,
        [{ reference: `Communication/${ids.thread}` }],
      );
    });

    it('refuses bad input with a reason and stores nothing: empty or 1 MB text, fake PDF, executable, unknown recipient, too many files', async () => {
      const before = (await messages()).length;
      const base = { patientId: ids.reyna, recipient: 'department:primary-care', subject: 'Question' };
      const empty = await send({ ...base, body: '   ' }, 'message-0010');
      assert.equal(empty.status, 400);
      assert.match(empty.body.message, /Write your message/);
      const huge = await send({ ...base, body: 'x'.repeat(1024 * 1024) }, 'message-0011');
      assert.equal(huge.status, 400);
      assert.match(huge.body.message, /longer than 10,000 characters/);
      const fake = await send(
        {
          ...base,
          body: 'See attached',
          attachments: [{ name: 'lab.pdf', data: Buffer.from('MZ not a pdf').toString('base64') }],
        },
        'message-0012',
      );
      assert.equal(fake.status, 415);
      assert.match(fake.body.message, /“lab.pdf” is named like a PDF, but its content is not a PDF/);
      const exe = await send(
        { ...base, body: 'See attached', attachments: [{ name: 'photo.jpg', data: EXE_HEADER.toString('base64') }] },
        'message-0013',
      );
      assert.equal(exe.status, 415);
      const who = await send({ ...base, recipient: 'Practitioner/somebody-else', body: 'Hello' }, 'message-0014');
      assert.equal(who.status, 400);
      assert.equal(who.body.error, 'recipient_unknown');
      const many = await send(
        {
          ...base,
          body: 'Four files',
          attachments: Array.from({ length: 4 }, (_, i) => ({ name: `p${i}.png`, data: PNG_1PX.toString('base64') })),
        },
        'message-0015',
      );
      assert.equal(many.status, 400);
      assert.equal((await send({ ...base }, 'message-0016')).status, 400);
      assert.equal((await send({ patientId: ids.reyna, body: 'No subject or recipient' }, 'message-0017')).status, 400);
      assert.equal((await messages()).length, before);
      assert.equal((await feed(ids.reyna!, 'Binary')).length, 1, 'no file of a refused message is kept');
      // A refused item does not hold its key: the patient may fix it and send it again with the same id.
      assert.equal((await send({ ...base, body: 'Fixed now' }, 'message-0012')).status, 201);
    });

    it("refuses another patient's record or conversation with 404 (as if missing), audited, nothing stored", async () => {
      const denied = (await denials('message.access-denied')).length;
      const foreignRecord = await send(
        { patientId: ids.reyna, recipient: 'department:primary-care', subject: 'Hi', body: 'Hello' },
        'message-0020',
        'margery',
      );
      assert.equal(foreignRecord.status, 404);
      const foreignThread = await send(
        { patientId: ids.margery, thread: ids.thread, body: 'Let me in' },
        'message-0021',
        'margery',
      );
      const missingThread = await send(
        { patientId: ids.margery, thread: 'no-such-thread', body: 'Let me in' },
        'message-0022',
        'margery',
      );
      assert.equal(foreignThread.status, 404);
      assert.deepEqual(foreignThread.body, missingThread.body);
      assert.equal((await denials('message.access-denied')).length, denied + 3);
      assert.equal((await messages(ids.margery)).length, 0);
    });

    it('gives clinicians an inbox, unread first, by team; helpdesk and patients are refused', async () => {
      assert.equal((await call('GET', '/api/staff/messages', 'desk')).status, 403);
      assert.equal((await call('GET', '/api/staff/messages', 'reyna')).status, 403);
      const inbox = await call('GET', '/api/staff/messages', 'drlee');
      assert.equal(inbox.status, 200);
      assert.equal(inbox.body.threads.length, 2);
      assert.ok(inbox.body.threads.every((th: Json) => th.unread && th.unanswered && !th.handled));
      assert.match(inbox.body.threads[0].patient.name, /Reyna/);
      assert.equal(inbox.body.threads[0].team.name, 'Primary care team');
      const listed = await denials('staff.message.list');
      assert.equal(listed.length, 1, 'one audit entry per look at the inbox');
      assert.match(listed[0]!.detail!, /2 conversations of 1 patients/);
    });

    it('shows one conversation (marking it read), serves its file as a download only, and audits both', async () => {
      const view = await call('GET', `/api/staff/messages/${ids.thread}`, 'drlee');
      assert.equal(view.status, 200);
      assert.equal(view.body.thread.subject, 'Blood pressure readings');
      assert.equal(view.body.messages.length, 2);
      assert.equal(view.body.messages[0].fromPatient, true);
      const [file] = view.body.messages[0].attachments;
      assert.equal(file.title, 'readings.pdf');
      const download = await call('GET', `/api/staff/messages/${ids.thread}/files/${file.id}`, 'drlee');
      assert.equal(download.status, 200);
      assert.equal(download.headers.get('content-type'), 'application/pdf');
      assert.match(download.headers.get('content-disposition')!, /^attachment; filename="readings.pdf"/);
      assert.ok((download.body as unknown as Buffer).equals(pdf));
      const [other] = (await call('GET', '/api/staff/messages', 'drlee')).body.threads.filter(
        (th: Json) => th.id !== ids.thread,
      );
      assert.equal(
        (await call('GET', `/api/staff/messages/${other.id}/files/${file.id}`, 'drlee')).status,
        404,
        'a file is served only through its own conversation',
      );
      assert.equal((await call('GET', '/api/staff/messages/nope', 'drlee')).status, 404);
      const inbox = (await call('GET', '/api/staff/messages', 'drlee')).body.threads as Json[];
      assert.equal(inbox.find((th) => th.id === ids.thread)!.unread, false);
      assert.equal(inbox[0]!.id, other.id, 'unread first');
      assert.equal((await denials('staff.message.view')).length, 1);
      assert.equal((await denials('staff.message.file')).length, 1);
      assert.equal((await denials('staff.message.file-denied')).length, 1);
    });

    it('replies with a shared document: a DocumentReference in the record, the patient told without clinical content', async () => {
      now = new Date(now.getTime() + 5 * 60_000);
      const toldBefore = (await readOutbox(t.config.dataDir)).filter((m) => m.to === 'reyna@example.com').length;
      const letter = await samplePdf('Your results letter');
      const refused = await call(
        'POST',
        `/api/staff/messages/${ids.thread}/reply`,
        'drlee',
        {
          body: 'See the letter',
          document: { name: 'letter.pdf', title: 'Results letter', data: Buffer.from('nope').toString('base64') },
        },
        { 'Idempotency-Key': 'reply-0001' },
      );
      assert.equal(refused.status, 415);
      const reply = await call(
        'POST',
        `/api/staff/messages/${ids.thread}/reply`,
        'drlee',
        {
          body: 'Your readings look fine. I attached a letter.',
          document: { name: 'letter.pdf', title: 'Results letter', data: letter.toString('base64') },
        },
        { 'Idempotency-Key': 'reply-0001' },
      );
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      assert.equal(reply.body.message.sender.display, 'Dr Lee');
      assert.deepEqual(reply.body.message.inResponseTo, [{ reference: `Communication/${ids.thread}` }]);
      const docs = (await feed(ids.reyna!, 'DocumentReference')).filter((d) => d.id === reply.body.document.id);
      assert.equal(docs.length, 1, 'the document is in the patient record feed');
      assert.equal(docs[0]!.content[0].attachment.url.startsWith('Binary/'), true);
      assert.equal(docs[0]!.author[0].display, 'Dr Lee');
      const replay = await call(
        'POST',
        `/api/staff/messages/${ids.thread}/reply`,
        'drlee',
        {
          body: 'Your readings look fine. I attached a letter.',
          document: { name: 'letter.pdf', title: 'Results letter', data: letter.toString('base64') },
        },
        { 'Idempotency-Key': 'reply-0001' },
      );
      assert.equal(replay.replayed, 'true');
      assert.equal((await messages()).filter((m) => !m.sender.reference).length, 1, 'one reply');
      const toPatient = async () => (await readOutbox(t.config.dataDir)).filter((m) => m.to === 'reyna@example.com');
      let mails = await toPatient();
      for (let i = 0; i < 100 && mails.length === toldBefore; i++)
        mails = (await new Promise((r) => setTimeout(r, 30)), await toPatient());
      assert.equal(mails.length, toldBefore + 1, 'told once');
      assert.match(mails.at(-1)!.subject, /A new message from your care team/);
      // One sentence a person reads: the news, then whose portal it is (it read "… in your <Clinic> portal").
      assert.equal(mails.at(-1)!.subject, `A new message from your care team (${t.config.clinic.name})`);
      assert.match(mails.at(-1)!.text, new RegExp(`waiting for you in the ${t.config.clinic.name} patient portal\\.`));
      assert.ok(
        mails.every((m) => !/readings|letter|blood/i.test(m.text)),
        'no clinical content in the mail',
      );
      const row = (await call('GET', '/api/staff/messages', 'drlee')).body.threads.find(
        (th: Json) => th.id === ids.thread,
      );
      assert.equal(row.unanswered, false);
    });

    it('marks handled; a new word from the patient reopens it', async () => {
      const seen = (await call('GET', `/api/staff/messages/${ids.thread}`, 'drlee')).body.thread.lastMessageAt;
      const stale = await call('POST', `/api/staff/messages/${ids.thread}/handled`, 'drlee', {
        handled: true,
        lastMessageAt: '2026-01-01T00:00:00.000Z',
      });
      assert.equal(stale.status, 409, 'a conversation that moved on since it was read is not marked handled');
      const done = await call('POST', `/api/staff/messages/${ids.thread}/handled`, 'drlee', {
        handled: true,
        lastMessageAt: seen,
      });
      assert.equal(done.status, 200);
      let inbox = (await call('GET', '/api/staff/messages', 'drlee')).body.threads as Json[];
      assert.equal(inbox.at(-1)!.id, ids.thread, 'handled last');
      assert.equal(inbox.at(-1)!.handled, true);
      assert.equal(
        (
          await call('POST', `/api/staff/messages/${ids.thread}/handled`, 'drlee', {
            handled: 'yes',
            lastMessageAt: seen,
          })
        ).status,
        400,
      );
      now = new Date(now.getTime() + 60_000);
      assert.equal(
        (await send({ patientId: ids.reyna, thread: ids.thread, body: 'Thank you!' }, 'message-0030')).status,
        201,
      );
      inbox = (await call('GET', '/api/staff/messages', 'drlee')).body.threads as Json[];
      const row = inbox.find((th) => th.id === ids.thread)!;
      assert.equal(row.handled, false);
      assert.equal(row.unread, true);
      assert.equal((await denials('staff.message.handled')).length, 1);
    });
  });
