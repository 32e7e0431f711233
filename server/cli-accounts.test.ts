import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from './cli-command.js';
import { activationCodeCommand, auditCommand, staffCommand } from './cli-accounts.js';
import { importBundle } from './fhir/import.js';
import { openStore, type Store } from './store/store.js';
import { createTestApp, type TestApp } from './testing/app.js';
import { waitForMail } from './testing/mail.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from './http/csrf.js';

const PATIENT = '55555555-5555-4555-8555-555555555555';

describe('operator CLI: activation codes, staff, audit', () => {
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

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcl-cli-acc-'));
    store = await openStore(join(dir, 'mayocarelink.sqlite'));
    await importBundle(
      store,
      {
        type: 'collection',
        entries: [
          {
            fullUrl: `urn:uuid:${PATIENT}`,
            resource: {
              resourceType: 'Patient',
              id: PATIENT,
              name: [{ family: 'Wiegand', given: ['Truman'] }],
              birthDate: '1953-04-02',
            },
          },
        ],
      } as never,
      { now: new Date() },
    );
    t = await createTestApp({
      env: { DATA_DIR: dir },
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

  it('prints a single-use activation code for a patient', async () => {
    const r = io();
    assert.equal(await activationCodeCommand.run([PATIENT], r.io), 0);
    assert.match(r.out[0]!, /^Activation code for Truman Wiegand \(born 1953-04-02\):$/);
    assert.match(r.out[1]!, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const rows = await store.db
      .selectFrom('one_time_token')
      .select(['hash', 'expires_at'])
      .where('purpose', '=', 'activation')
      .execute();
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]!.hash, r.out[1], 'stored hashed');
    const days = (Date.parse(rows[0]!.expires_at) - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30, `${days} days`);
  });

  it('refuses an unknown patient or a bad --days', async () => {
    const r = io();
    assert.equal(await activationCodeCommand.run(['no-such-patient'], r.io), 1);
    assert.match(r.err[0]!, /there is no patient with id no-such-patient/);
    assert.equal(await activationCodeCommand.run([PATIENT, '--days', '400'], io().io), 2);
  });

  it('creates a staff account whose holder finishes it through the emailed link', async () => {
    const r = io();
    assert.equal(
      await staffCommand.run(
        ['create', '--email', 'dr.lee@clinic.example', '--name', 'Dr Ana Lee', '--role', 'clinician'],
        r.io,
      ),
      0,
    );
    const mail = (await waitForMail(dir, 1))[0]!;
    assert.equal(mail.to, 'dr.lee@clinic.example');
    const token = mail.text.match(/staff-enrol#token=([A-Za-z0-9_-]+)/)![1]!;
    const headers = {
      Origin: t.config.publicOrigin,
      [CSRF_HEADER]: CSRF_HEADER_VALUE,
      'Content-Type': 'application/json',
    };
    const enrol = await t.app.request('/api/staff-enrol', {
      method: 'POST',
      headers,
      body: JSON.stringify({ token, username: 'ana.lee', password: 'listen twice and speak once' }),
    });
    assert.equal(enrol.status, 201);
    // The link opens a session that may only add the first passkey ([4/8]: staff sign in with passkeys).
    const setup = await t.app.request('/api/session', {
      headers: { Cookie: enrol.headers.get('set-cookie')!.split(';')[0]! },
    });
    const info = (await setup.json()) as { authLevel: string; account: { role: string; kind: string } };
    assert.deepEqual([info.authLevel, info.account.role, info.account.kind], ['enrol', 'clinician', 'staff']);
    const again = await t.app.request('/api/staff-enrol', {
      method: 'POST',
      headers,
      body: JSON.stringify({ token, username: 'ana.lee', password: 'listen twice and speak once' }),
    });
    // [2/11]: the link works again until a passkey is added (closing the browser first must not lock them out);
    // server/routes/staff-enrol.test.ts proves it is spent once one is.
    assert.equal(again.status, 201);
    const signIn = await t.app.request('/api/session', {
      method: 'POST',
      headers,
      body: JSON.stringify({ login: 'ana.lee', password: 'listen twice and speak once' }),
    });
    assert.equal(signIn.status, 403, 'no staff sign-in with a password alone');
    assert.equal(((await signIn.json()) as { error: string }).error, 'passkey_setup_required');
    assert.equal(
      await staffCommand.run(['create', '--email', 'dr.lee@clinic.example', '--name', 'X', '--role', 'admin'], io().io),
      1,
    );
    assert.equal(
      await staffCommand.run(['create', '--email', 'x@clinic.example', '--name', 'X', '--role', 'superuser'], io().io),
      2,
    );
  });

  it('verifies the audit chain, and finds tampering', async () => {
    const ok = io();
    assert.equal(await auditCommand.run(['verify'], ok.io), 0);
    assert.match(ok.out[0]!, /^audit log intact: \d+ entries/);
    await store.db.updateTable('audit_log').set({ detail: 'edited later' }).where('seq', '=', 1).execute();
    const broken = io();
    assert.equal(await auditCommand.run(['verify'], broken.io), 1);
    assert.match(broken.err[0]!, /audit log BROKEN at entry 1/);
  });
});
