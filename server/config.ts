import { resolve, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClinicInfo } from '../common/clinic.js';
import { loadClinic } from './clinic.js';
import { readClockOffset } from './clock.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `postgres://…` or a SQLite file path (optionally written `sqlite:path`). */
  databaseUrl: string;
  /** The origin users type into their browser; passkeys (rpID) and mail links are built from it. */
  publicOrigin: string;
  /** Where the built app (index.html, assets, sw.js) is served from. */
  publicDir: string;
  clinic: ClinicInfo;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Server-side session limits (SECURITY.md: idle ≤ 1 h, overall ≤ 24 h); `freshMs`: how recent a sign-in must be for step-up. */
  session: { idleMs: number; maxMs: number; freshMs: number };
  /** `smtp://…`; unset → mail is written as .eml files under DATA_DIR/mail. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /**
   * Text messages: unset → each text is written to a file under DATA_DIR/sms (the code is never logged); set → POSTed as JSON
   * `{to, text}` to this HTTPS endpoint of an SMS provider (a bearer token from SMS_PROVIDER_TOKEN).
   */
  sms: { providerUrl: string | undefined; providerToken: string | undefined };
  /** Load the demo clinic into an empty database at first start (DEMO_DATA=off to start empty). */
  demoData: boolean;
  /**
   * Appointments: reminder lead times before a visit (APPOINTMENT_REMINDERS, e.g. `7d,1d`), how long before a visit
   * a patient may still cancel or move it online (CANCEL_CUTOFF_HOURS), and how often the reminder runner looks
   * for due reminders (REMINDER_POLL_SECONDS).
   */
  appointments: { reminders: { label: string; ms: number }[]; cancelCutoffMs: number; reminderPollMs: number };
  /** Tests only: a file holding how many milliseconds the server's clock is moved (TEST_CLOCK_FILE; clock.ts). */
  testClockFile: string | undefined;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** The folder of the built app, next to the bundled server (dist/server → dist/public). */
export function defaultPublicDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'public');
}

/**
 * Reads configuration from an environment. Pure apart from reading CLINIC_CONFIG and TEST_CLOCK_FILE; throws
 * ConfigError naming the setting.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const port = parsePort(env.PORT ?? '8080');
  const host = env.HOST || '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL || join(dataDir, 'mayocarelink.sqlite');
  const publicOrigin = parseOrigin(env.PUBLIC_ORIGIN || `http://localhost:${port}`);
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; it is "${env.LOG_LEVEL}".`);
  }
  let clinic: ClinicInfo;
  try {
    clinic = loadClinic(env.CLINIC_CONFIG);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const idleMinutes = parseBounded(env, 'SESSION_IDLE_MINUTES', 15, 1, 60);
  const maxHours = parseBounded(env, 'SESSION_MAX_HOURS', 12, 1, 24);
  // Seconds, for tests and demonstrations of the idle warning; wins over SESSION_IDLE_MINUTES when set.
  const idleSeconds = env.SESSION_IDLE_SECONDS ? parseBounded(env, 'SESSION_IDLE_SECONDS', 900, 10, 3600) : undefined;
  // Step-up window: 5 minutes ([4/8]); shorter only for tests and demonstrations, never longer.
  const stepUpSeconds = parseBounded(env, 'STEP_UP_SECONDS', 300, 10, 300);
  const demo = env.DEMO_DATA || 'on';
  if (demo !== 'on' && demo !== 'off') throw new ConfigError(`DEMO_DATA must be on or off; it is "${demo}".`);
  if (env.SMS_PROVIDER_URL && !/^https:\/\/|^http:\/\/(localhost|127\.0\.0\.1)[:/]/.test(env.SMS_PROVIDER_URL)) {
    throw new ConfigError('SMS_PROVIDER_URL must start with https:// (http:// only for localhost).');
  }
  if (env.SMTP_URL && !/^smtps?:\/\//.test(env.SMTP_URL)) {
    throw new ConfigError('SMTP_URL must start with smtp:// or smtps://.');
  }
  const appointments = {
    reminders: parseLeads(env.APPOINTMENT_REMINDERS ?? '7d,1d'),
    cancelCutoffMs: parseBounded(env, 'CANCEL_CUTOFF_HOURS', 24, 0, 336) * 3600_000,
    reminderPollMs: parseBounded(env, 'REMINDER_POLL_SECONDS', 60, 1, 3600) * 1000,
  };
  const testClockFile = parseTestClock(env, publicOrigin);
  return {
    appointments,
    testClockFile,
    port,
    host,
    dataDir,
    databaseUrl,
    publicOrigin,
    publicDir: resolve(env.PUBLIC_DIR || defaultPublicDir()),
    clinic,
    logLevel,
    session: {
      idleMs: (idleSeconds ?? idleMinutes * 60) * 1000,
      maxMs: maxHours * 3600_000,
      freshMs: stepUpSeconds * 1000,
    },
    smtpUrl: env.SMTP_URL || undefined,
    sms: { providerUrl: env.SMS_PROVIDER_URL || undefined, providerToken: env.SMS_PROVIDER_TOKEN || undefined },
    demoData: demo === 'on',
    mailFrom: env.MAIL_FROM || `"${clinic.name.replace(/"/g, '')}" <no-reply@${new URL(publicOrigin).hostname}>`,
  };
}

function parseBounded(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; it is "${raw}".`);
  }
  return value;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3600_000, d: 86_400_000 };

/** `7d,1d` → lead times before a visit; `m`, `h` or `d`; at most five; empty for no reminders. */
function parseLeads(raw: string): { label: string; ms: number }[] {
  const parts = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const leads = parts.map((label) => {
    const match = /^(\d{1,4})([mhd])$/.exec(label);
    if (!match)
      throw new ConfigError(
        `APPOINTMENT_REMINDERS must list lead times such as 7d,1d,2h (m, h or d); "${label}" is not one.`,
      );
    return { label, ms: Number(match[1]) * UNIT_MS[match[2]!]! };
  });
  if (leads.length > 5 || new Set(leads.map((l) => l.ms)).size !== leads.length)
    throw new ConfigError('APPOINTMENT_REMINDERS: at most five different lead times.');
  return leads.sort((a, b) => b.ms - a.ms);
}

/**
 * TEST_CLOCK_FILE moves the server's clock (every session, token, booking rule and reminder follows it), so that an
 * end-to-end test can run the real server days ahead. It cannot be turned on by accident in production: it is
 * refused unless NODE_ENV is exactly `test` (read from the running environment, not fixed at build) and the portal
 * is on localhost (a production PUBLIC_ORIGIN is https on its own host name), and the file must exist and hold a
 * whole number when the server starts. A refused setting stops the server at start with this message.
 */
function parseTestClock(env: Record<string, string | undefined>, publicOrigin: string): string | undefined {
  if (!env.TEST_CLOCK_FILE) return undefined;
  if (env.NODE_ENV !== 'test')
    throw new ConfigError(
      `TEST_CLOCK_FILE moves the server's clock and is for tests only: it needs NODE_ENV=test (NODE_ENV is ${env.NODE_ENV ? `"${env.NODE_ENV}"` : 'not set'}). Remove TEST_CLOCK_FILE.`,
    );
  if (!['localhost', '127.0.0.1', '[::1]'].includes(new URL(publicOrigin).hostname))
    throw new ConfigError(
      `TEST_CLOCK_FILE is for tests only and needs a PUBLIC_ORIGIN on localhost; it is "${publicOrigin}". Remove TEST_CLOCK_FILE.`,
    );
  const file = resolve(env.TEST_CLOCK_FILE);
  try {
    readClockOffset(file);
  } catch (error) {
    throw new ConfigError(`TEST_CLOCK_FILE: ${(error as Error).message}.`);
  }
  return file;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535; it is "${value}".`);
  }
  return port;
}

function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`PUBLIC_ORIGIN must be an origin such as https://portal.clinic.example; it is "${value}".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`PUBLIC_ORIGIN must start with https:// (or http:// for local use); it is "${value}".`);
  }
  if (url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    throw new ConfigError(`PUBLIC_ORIGIN must use https:// unless it is localhost; it is "${value}".`);
  }
  return url.origin;
}

/** A database URL fit for a log line or an error: the password is replaced. */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.protocol.startsWith('postgres') ? url.toString() : databaseUrl;
  } catch {
    return databaseUrl;
  }
}
