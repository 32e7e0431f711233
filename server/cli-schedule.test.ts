import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from './cli-command.js';
import { scheduleCommand } from './cli-schedule.js';
import { openStore } from './store/store.js';

describe('operator CLI: schedules, visit types and bookable times', () => {
  let dir: string;
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { env: { DATA_DIR: dir, LOG_LEVEL: 'silent' }, out: (l) => out.push(l), err: (l) => err.push(l) };
    return { code: await scheduleCommand.run(args, io), out: out.join('\n'), err: err.join('\n') };
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcl-cli-schedule-'));
    await (await openStore(join(dir, 'mayocarelink.sqlite'))).close(); // migrated
  });

  it('adds a visit type, a schedule and a fortnight of times; lists them; audits the changes', async () => {
    assert.equal(
      (
        await run(
          'visit-type',
          '--id',
          'follow-up',
          '--name',
          'Follow-up visit',
          '--minutes',
          '20',
          '--online',
          '--instructions',
          'Bring your medicines.',
        )
      ).code,
      0,
    );
    assert.equal(
      (
        await run(
          'add',
          '--id',
          'dr-lee',
          '--kind',
          'clinician',
          '--name',
          'Dr. Ana Lee',
          '--department',
          'Primary care',
          '--location',
          'Main Street Clinic',
          '--address',
          '100 Main Street',
        )
      ).code,
      0,
    );
    const slots = await run(
      'slots',
      '--schedule',
      'dr-lee',
      '--visit-type',
      'follow-up',
      '--from',
      '2099-01-05',
      '--to',
      '2099-01-16',
      '--start',
      '09:00',
      '--end',
      '10:00',
    );
    assert.equal(slots.code, 0, slots.err);
    assert.equal(slots.out, '30 times added to dr-lee', 'ten weekdays, three 20-minute visits each');
    assert.match(
      (
        await run(
          'slots',
          '--schedule',
          'dr-lee',
          '--visit-type',
          'follow-up',
          '--from',
          '2099-01-05',
          '--to',
          '2099-01-05',
          '--start',
          '09:00',
          '--end',
          '10:00',
        )
      ).out,
      /0 times added .*3 skipped/,
    );
    const list = await run('list');
    assert.match(list.out, /follow-up: Follow-up visit, 20 min, online/);
    assert.match(list.out, /dr-lee: Dr\. Ana Lee \(clinician, Primary care, Main Street Clinic\), 30 future times/);
    const store = await openStore(join(dir, 'mayocarelink.sqlite'));
    assert.equal(
      (await store.db.selectFrom('audit_log').select('action').where('action', 'like', 'scheduling.%').execute())
        .length,
      4,
    );
    await store.close();
  });

  it('refuses bad input with the field named, and unknown schedules', async () => {
    const bad = await run('visit-type', '--id', 'Bad Id', '--name', 'X', '--minutes', '2');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /id: an id is 1 to 40 lowercase/);
    assert.equal(
      (
        await run(
          'slots',
          '--schedule',
          'nope',
          '--visit-type',
          'follow-up',
          '--from',
          '2099-01-05',
          '--to',
          '2099-01-05',
          '--start',
          '09:00',
          '--end',
          '10:00',
        )
      ).code,
      1,
    );
    assert.equal(
      (
        await run(
          'slots',
          '--schedule',
          'dr-lee',
          '--visit-type',
          'follow-up',
          '--from',
          '2099-01-05',
          '--to',
          '2099-01-04',
          '--start',
          '09:00',
          '--end',
          '10:00',
        )
      ).code,
      2,
    );
    assert.equal((await run('frobnicate')).code, 2);
  });
});
