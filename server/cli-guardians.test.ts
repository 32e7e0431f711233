import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from './cli-command.js';
import { guardianCommand } from './cli-guardians.js';
import { runCli } from './cli.js';
import { importBundle } from './fhir/import.js';
import { openStore, type Store } from './store/store.js';
import { createTestApp, type TestApp } from './testing/app.js';
import { caller, linkToken, mailTo } from './testing/caregivers.js';

const CHILD = 'cli-child';
const ADULT = 'cli-adult';
const mr = (value: string) => [{ type: { coding: [{ code: 'MR' }] }, value }];

describe('operator CLI: guardian add, list, end', () => {
  let dir: string;
  let store: Store;
  let t: TestApp;
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    const value: CliIO = {
      env: { DATA_DIR: dir, LOG_LEVEL: 'silent' },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    };
    return { io: value, out, err };
  };
  // Eight years old whenever the test runs, so the age rules do not move under it.
  const eight = new Date();
  eight.setUTCFullYear(eight.getUTCFullYear() - 8);
  const born = new Date(eight.getTime() - 60 * 86_400_000).toISOString().slice(0, 10);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcl-cli-guardian-'));
    store = await openStore(join(dir, 'mayocarelink.sqlite'));
    await importBundle(
      store,
      {
        type: 'collection',
        entries: [
          {
            resourceType: 'Patient',
            id: CHILD,
            name: [{ family: 'Reed', given: ['Ivy'] }],
            birthDate: born,
            identifier: mr('MRN-9001'),
          },
          {
            resourceType: 'Patient',
            id: ADULT,
            name: [{ family: 'Reed', given: ['Ann'] }],
            birthDate: '1980-03-03',
            identifier: mr('MRN-9002'),
          },
        ].map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
      } as never,
      { now: new Date() },
    );
    t = await createTestApp({
      env: { DATA_DIR: dir },
      clock: { now: () => new Date() },
      testStore: {
        store,
        databaseUrl: join(dir, 'mayocarelink.sqlite'),
        openAnother: () => Promise.reject(new Error('one connection')),
        cleanup: () => store.close(),
      },
    });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a guardian by MRN: prints the code and link, mails them, and the code works once', async () => {
    const r = io();
    const code = await runCli(
      [
        'guardian',
        'add',
        '--patient',
        'MRN-9001',
        '--name',
        'Rob Reed',
        '--email',
        'rob@example.com',
        '--scopes',
        'records,appointments',
        '--authority-checked',
      ],
      r.io,
    );
    assert.equal(code, 0, r.err.join('\n'));
    assert.match(
      r.out[0]!,
      /^Guardian access for Ivy Reed \(born \d{4}-\d\d-\d\d, 8 y, MRN-9001\) set up for Rob Reed <rob@example.com>: may records, appointments\.$/,
    );
    const activation = /^Activation code: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})$/.exec(r.out[1]!)![1]!;
    assert.equal(r.out[2], `Activation link: ${t.config.publicOrigin}/caregiver-invite#token=${activation}`);
    assert.match(r.out.join('\n'), /From age 12, you may only see and book appointments/);
    const mail = await mailTo(dir, 'rob@example.com', /Your access to Ivy Reed/);
    assert.equal(linkToken(mail), activation);

    const call = caller(t, {});
    const made = await call('POST', '/api/caregiver/invitation/sign-up', {
      token: activation.replace(/-/g, ' '),
      username: 'rob',
      password: 'tidal copper lantern meadow',
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const twice = await call('POST', '/api/caregiver/invitation', { token: activation });
    assert.equal(twice.status, 410);

    const list = io();
    assert.equal(await guardianCommand.run(['list', '--patient', CHILD], list.io), 0);
    assert.match(list.out[0]!, /^Ivy Reed \(born .*, 8 y, child\): 1 guardian grant\(s\)$/);
    assert.match(list.out[1]!, /Rob Reed <rob@example.com> {2}active {2}records,appointments {2}set up .* by cli$/);
  });

  it('refuses an adult, an unknown patient, the same guardian twice, and an add without the authority check', async () => {
    const add = async (...extra: string[]) => {
      const r = io();
      const code = await guardianCommand.run(
        ['add', '--name', 'Rob Reed', '--email', 'rob@example.com', ...extra],
        r.io,
      );
      return { code, err: r.err.join('\n') };
    };
    const adult = await add('--patient', ADULT, '--authority-checked');
    assert.equal(adult.code, 1);
    assert.match(adult.err, /Ann Reed is \d+ \(born 1980-03-03\): .* ends at 18/);
    assert.match(
      (await add('--patient', 'MRN-0000', '--authority-checked')).err,
      /no patient with the id or MRN MRN-0000/,
    );
    const twice = await add('--patient', CHILD, '--authority-checked');
    assert.deepEqual([twice.code, /already has access for Ivy Reed/.test(twice.err)], [1, true]);
    const unchecked = await add('--patient', CHILD);
    assert.equal(unchecked.code, 2);
    assert.match(unchecked.err, /--authority-checked once you have confirmed: "I checked that this person is/);
    assert.equal((await add('--patient', CHILD, '--scopes', 'records,everything', '--authority-checked')).code, 2);
    assert.equal(await guardianCommand.run(['add', '--patient', CHILD], io().io), 2);
  });

  it('ends a guardian’s access, mails them, and refuses to end it twice', async () => {
    const grant = await store.db
      .selectFrom('caregiver_grant')
      .select('id')
      .where('patient_id', '=', CHILD)
      .executeTakeFirstOrThrow();
    const r = io();
    assert.equal(await guardianCommand.run(['end', '--grant', grant.id], r.io), 0);
    assert.equal(r.out[0], "Ended Rob Reed's guardian access; it stops at their next request.");
    await mailTo(dir, 'rob@example.com', /Your access for Ivy Reed has ended/);
    const again = io();
    assert.equal(await guardianCommand.run(['end', '--grant', grant.id], again.io), 1);
    assert.match(again.err[0]!, /already ended/);
    const actions = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('actor', '=', 'cli')
      .execute();
    assert.deepEqual(
      actions.map((a) => a.action),
      ['caregiver.guardian-added', 'caregiver.guardian-ended'],
    );
    assert.equal(await guardianCommand.run(['end'], io().io), 2);
  });
});
