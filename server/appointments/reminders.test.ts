import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeFactories, type TestStore } from '../testing/stores.js';
import { readOutbox } from '../testing/mail.js';
import { loadConfig } from '../config.js';
import { createAccount } from '../auth/accounts.js';
import { putResources } from '../store/resources.js';
import { createLogger } from '../log.js';
import { createMailer, type Mailer } from '../notify/mailer.js';
import { createSmsSender } from '../notify/sms.js';
import { planReminders } from './appointments.js';
import { runReminders } from './reminders.js';

for (const factory of storeFactories)
  describe(`reminder runner on ${factory.name}`, () => {
    let testStore: TestStore;
    const dir = mkdtempSync(join(tmpdir(), 'mcl-reminder-runner-'));
    const config = loadConfig({ DATA_DIR: dir, APPOINTMENT_REMINDERS: '1d' });
    const logger = createLogger('silent');
    const mailer = createMailer({ from: config.mailFrom, outbox: join(dir, 'mail'), logger });
    const sms = createSmsSender({ outbox: join(dir, 'sms'), logger });
    // Far from the wall clock, as on a server whose clock a test has moved (TEST_CLOCK_FILE) or that runs in a test.
    const now = new Date('2031-03-04T10:00:00Z');

    before(async () => {
      testStore = await factory.open();
      const { db, dialect } = testStore.store;
      const account = await createAccount(
        db,
        {
          kind: 'patient',
          username: 'lena',
          email: 'lena@example.com',
          displayName: 'Lena',
          patientId: 'p-lena',
          notifyPrefs: { appointmentReminder: { email: true, text: false } },
        },
        now,
      );
      await db
        .updateTable('account')
        .set({ email_verified_at: now.toISOString() })
        .where('id', '=', account.id)
        .execute();
      const start = new Date(now.getTime() + 86_400_000).toISOString();
      await db.transaction().execute(async (trx) => {
        await putResources(
          trx,
          dialect,
          [
            {
              resourceType: 'Appointment',
              id: 'visit-1',
              status: 'booked',
              start,
              participant: [{ actor: { reference: 'Patient/p-lena' }, status: 'accepted' }],
            },
          ],
          now,
        );
        await planReminders(
          trx,
          'visit-1',
          'p-lena',
          start,
          config.appointments.reminders,
          new Date(now.getTime() - 60_000),
        );
      });
    });
    after(() => testStore?.cleanup());

    it("renews its lease by the runner's clock: a second runner a minute later leaves a reminder being sent alone", async () => {
      // The first runner's mail is slow: it is still sending when the second runner looks for due reminders.
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let entered!: () => void;
      const sending = new Promise<void>((r) => (entered = r));
      const slow: Mailer = {
        send: async (mail) => {
          entered();
          await gate;
          await mailer.send(mail);
        },
      };
      const second = factory.name === 'postgres' ? await testStore.openAnother() : testStore.store;
      try {
        const first = runReminders({ store: testStore.store, mailer: slow, sms, config, logger }, 'runner-a', now);
        await sending;
        const meanwhile = await runReminders(
          { store: second, mailer, sms, config, logger },
          'runner-b',
          new Date(now.getTime() + 60_000),
        );
        release();
        assert.equal(meanwhile, 0, 'the second runner took over a reminder whose lease had not run out');
        assert.equal(await first, 1);
      } finally {
        release();
        if (second !== testStore.store) await second.close();
      }
      assert.equal((await readOutbox(dir)).length, 1, 'mailed once');
      const rows = await testStore.store.db.selectFrom('reminder').select(['state', 'claimed_by']).execute();
      assert.deepEqual(rows, [{ state: 'sent', claimed_by: 'runner-a' }]);
    });
  });
