import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../testing/app.js';
import { storeFactories } from '../testing/stores.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from './csrf.js';
import { LEASE_MS, requestHash } from './idempotency.js';
import { importFile } from '../fhir/import.js';
import { sharedFiles } from '../testing/fhir-data.js';
import { listChanges } from '../store/changes.js';

const PASSWORD = 'correct horse battery staple';

/**
 * A model of the app's outbox (client/record/outbox.ts) as the server sees it: items stored first with a client id,
 * sent with it as Idempotency-Key, kept on anything but a clear answer. The network and the device misbehave at
 * random: offline, an answer lost after the server committed, a crash of the app (its stored outbox survives), the
 * server dying while carrying out an item (its key stays leased until the lease runs out), two tabs at once.
 */
type Op =
  | { kind: 'write' }
  | { kind: 'offline' }
  | { kind: 'online' }
  | { kind: 'flush'; lose: boolean[] }
  | { kind: 'twoTabs' }
  | { kind: 'crash' }
  | { kind: 'serverCrash' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Op>({ kind: 'write' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'offline' }) },
  { weight: 2, arbitrary: fc.constant<Op>({ kind: 'online' }) },
  {
    weight: 4,
    arbitrary: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }).map<Op>((lose) => ({ kind: 'flush', lose })),
  },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'twoTabs' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'crash' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'serverCrash' }) },
);

for (const factory of storeFactories)
  describe(`the outbox against the server on ${factory.name}: random offline, loss, crash and retry`, () => {
    let t: TestApp;
    let cookie = '';
    let patientId = '';
    let accountId = '';
    let now = Date.now();

    before(async () => {
      t = await createTestApp({ testStore: await factory.open(), clock: { now: () => new Date(now) } });
      const store = t.testStore.store;
      patientId = (
        await importFile(
          store,
          sharedFiles('patients').find((f) => f.includes('Reyna_Ziemann'))!,
          { now: new Date() },
        )
      ).patients[0]!;
      const a = await createAccount(
        store.db,
        {
          kind: 'patient',
          username: 'reyna',
          email: 'reyna@example.com',
          displayName: 'Reyna',
          passwordHash: await hashPassword(PASSWORD),
          patientId,
        },
        new Date(),
      );
      accountId = a.id;
      await store.db
        .updateTable('account')
        .set({ email_verified_at: new Date().toISOString() })
        .where('id', '=', a.id)
        .execute();
      const res = await t.app.request('/api/session', {
        method: 'POST',
        headers: {
          Origin: t.config.publicOrigin,
          [CSRF_HEADER]: CSRF_HEADER_VALUE,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ login: 'reyna', password: PASSWORD }),
      });
      cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    });
    after(() => t.close());

    it('never loses and never duplicates what was written', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
          const run = randomUUID().slice(0, 8);
          // The stored outbox (IndexedDB in the app): survives crashes.
          const outbox = new Map<string, { body: string; state: 'waiting' | 'sent' | 'refused' }>();
          let online = true;
          let written = 0;
          const send = async (id: string, lose: boolean) => {
            const item = outbox.get(id)!;
            const res = await t.app.request('/api/messages', {
              method: 'POST',
              headers: {
                Origin: t.config.publicOrigin,
                [CSRF_HEADER]: CSRF_HEADER_VALUE,
                'Content-Type': 'application/json',
                Cookie: cookie,
                'Idempotency-Key': id,
              },
              body: item.body,
            });
            if (lose) return; // the server answered, the answer never arrived: the item stays waiting
            if (res.status === 201) item.state = 'sent';
            else if (res.status === 409 && ((await res.json()) as { error: string }).error === 'request_in_progress')
              return;
            else if (res.status >= 400 && res.status < 500) item.state = 'refused';
          };
          const flush = async (lose: boolean[]) => {
            if (!online) return;
            let i = 0;
            for (const [id, item] of outbox) if (item.state === 'waiting') await send(id, lose[i++ % lose.length]!);
          };
          for (const o of ops) {
            if (o.kind === 'write') {
              written++;
              outbox.set(randomUUID(), {
                body: JSON.stringify({
                  patientId,
                  recipient: 'department:primary-care',
                  subject: `run ${run}`,
                  body: `${run} item ${written}`,
                }),
                state: 'waiting',
              });
            } else if (o.kind === 'offline') online = false;
            else if (o.kind === 'online') online = true;
            else if (o.kind === 'flush') await flush(o.lose);
            else if (o.kind === 'twoTabs') await Promise.all([flush([false]), flush([true, false])]);
            // A crash of the app loses only what was in flight; the stored outbox is read again at start.
            else if (o.kind === 'serverCrash') {
              // The server died while carrying out a waiting item: its key is held (leased), nothing committed.
              const waiting = [...outbox].find(([, x]) => x.state === 'waiting');
              if (waiting) {
                await t.testStore.store.db
                  .insertInto('idempotency_key')
                  .values({
                    account_id: accountId,
                    key: waiting[0],
                    request_hash: requestHash('POST', '/api/messages', waiting[1].body),
                    lease_token: 'crashed',
                    lease_until: new Date(now + LEASE_MS).toISOString(),
                    response_status: null,
                    response_body: null,
                    created_at: new Date(now).toISOString(),
                    expires_at: new Date(now + 48 * 3600_000).toISOString(),
                  })
                  .onConflict((oc) => oc.doNothing())
                  .execute();
              }
            }
          }
          // The lease of a crashed attempt runs out; then a retry takes it over.
          now += LEASE_MS + 1000;
          // Back online for good: everything waiting goes.
          online = true;
          for (let i = 0; i < 5 && [...outbox.values()].some((x) => x.state === 'waiting'); i++) await flush([false]);
          const arrived = (await listChanges(t.testStore.store.db, patientId, 0, 1_000_000))
            .filter(
              (c) =>
                c.resourceType === 'Communication' &&
                c.resource &&
                (c.resource as { topic?: { text?: string } }).topic?.text === `run ${run}`,
            )
            .map((c) => (c.resource as { payload: { contentString: string }[] }).payload[0]!.contentString);
          assert.deepEqual(
            [...outbox.values()].filter((x) => x.state !== 'sent'),
            [],
            'nothing refused or left waiting',
          );
          assert.equal(arrived.length, written, 'each item once: no loss, no duplicate');
          assert.equal(new Set(arrived).size, written);
        }),
        { numRuns: factory.name === 'postgres' ? 15 : 30 },
      );
    });
  });
