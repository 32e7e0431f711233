import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, redactDatabaseUrl } from './config.js';
import { demoClinic } from '../common/demo-clinic.js';

describe('configuration', () => {
  it('has working defaults: port 8080 on 127.0.0.1, SQLite in ./data, origin localhost', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.dataDir, resolve('data'));
    assert.equal(config.databaseUrl, join(resolve('data'), 'mayocarelink.sqlite'));
    assert.equal(config.publicOrigin, 'http://localhost:8080');
    assert.deepEqual(config.clinic, demoClinic);
    assert.deepEqual(config.session, { idleMs: 15 * 60_000, maxMs: 12 * 3600_000, freshMs: 5 * 60_000 });
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.mailFrom, '"Mayocarelink Demo Clinic" <no-reply@localhost>');
  });

  it('keeps session limits within SECURITY.md (idle ≤ 1 h, overall ≤ 24 h)', () => {
    assert.deepEqual(loadConfig({ SESSION_IDLE_MINUTES: '60', SESSION_MAX_HOURS: '24' }).session, {
      idleMs: 3600_000,
      maxMs: 86_400_000,
      freshMs: 300_000,
    });
    // The step-up window may be shortened (tests, demonstrations) but never made longer than 5 minutes.
    assert.equal(loadConfig({ STEP_UP_SECONDS: '20' }).session.freshMs, 20_000);
    assert.throws(
      () => loadConfig({ STEP_UP_SECONDS: '301' }),
      /STEP_UP_SECONDS must be a whole number from 10 to 300/,
    );
    assert.throws(
      () => loadConfig({ SMS_PROVIDER_URL: 'http://sms.example/send' }),
      /SMS_PROVIDER_URL must start with https/,
    );
    assert.equal(
      loadConfig({ SMS_PROVIDER_URL: 'https://sms.example/send', SMS_PROVIDER_TOKEN: 't' }).sms.providerUrl,
      'https://sms.example/send',
    );
    assert.throws(
      () => loadConfig({ SESSION_IDLE_MINUTES: '61' }),
      /SESSION_IDLE_MINUTES must be a whole number from 1 to 60/,
    );
    assert.throws(
      () => loadConfig({ SESSION_MAX_HOURS: '25' }),
      /SESSION_MAX_HOURS must be a whole number from 1 to 24/,
    );
    assert.equal(loadConfig({ SESSION_IDLE_SECONDS: '30' }).session.idleMs, 30_000);
    assert.throws(() => loadConfig({ SMTP_URL: 'http://mail' }), /SMTP_URL must start with smtp/);
    assert.equal(loadConfig({}).demoData, true);
    assert.equal(loadConfig({ DEMO_DATA: 'off' }).demoData, false);
    assert.throws(() => loadConfig({ DEMO_DATA: 'maybe' }), /DEMO_DATA must be on or off/);
  });

  it('follows the environment', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATA_DIR: '/tmp/x',
      DATABASE_URL: 'postgres://u@db/portal',
      PUBLIC_ORIGIN: 'https://portal.clinic.example/',
    });
    assert.equal(config.port, 9000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.databaseUrl, 'postgres://u@db/portal');
    assert.equal(config.publicOrigin, 'https://portal.clinic.example');
  });

  it('names the setting to fix', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty' }),
      (e: unknown) => e instanceof ConfigError && /^PORT/.test(e.message),
    );
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT must be a whole number/);
    assert.throws(() => loadConfig({ PUBLIC_ORIGIN: 'not a url' }), /^Error: PUBLIC_ORIGIN/);
    assert.throws(() => loadConfig({ PUBLIC_ORIGIN: 'http://portal.clinic.example' }), /must use https/);
    assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of/);
  });

  it('reads the clinic from CLINIC_CONFIG over the defaults, and explains a bad file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcl-clinic-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ name: 'Riverside Clinic', shortName: 'Riverside' }));
    const config = loadConfig({ CLINIC_CONFIG: good });
    assert.equal(config.clinic.name, 'Riverside Clinic');
    assert.equal(config.clinic.support.phone, demoClinic.support.phone);

    const badJson = join(dir, 'bad.json');
    writeFileSync(badJson, '{ name: ');
    assert.throws(() => loadConfig({ CLINIC_CONFIG: badJson }), /CLINIC_CONFIG=.*bad\.json cannot be read as JSON/);

    const badField = join(dir, 'field.json');
    writeFileSync(badField, JSON.stringify({ themeColor: 'teal' }));
    assert.throws(() => loadConfig({ CLINIC_CONFIG: badField }), /themeColor: a colour is written #rrggbb/);

    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ colour: '#000000' }));
    assert.throws(() => loadConfig({ CLINIC_CONFIG: unknown }), /colour/);

    const zone = join(dir, 'zone.json');
    writeFileSync(zone, JSON.stringify({ timeZone: 'Mars/Olympus' }));
    assert.throws(() => loadConfig({ CLINIC_CONFIG: zone }), /timeZone: an IANA time zone/);
  });

  it('never prints a database password', () => {
    assert.equal(redactDatabaseUrl('postgres://app:s3cret@db:5432/portal'), 'postgres://app:***@db:5432/portal');
    assert.equal(redactDatabaseUrl('/var/lib/portal/db.sqlite'), '/var/lib/portal/db.sqlite');
  });
});
