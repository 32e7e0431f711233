import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { offsetFileClock, systemClock, type Clock } from './clock.js';
import { ConfigError, loadConfig, redactDatabaseUrl } from './config.js';
import { loadDemoOnce, demoLines, type DemoState } from './fhir/demo/load.js';
import { createLogger } from './log.js';
import { createSenders } from './notify/senders.js';
import { purgeExpiredTokens } from './auth/link-tokens.js';
import { purgeIdempotencyKeys } from './http/idempotency.js';
import { runReminders } from './appointments/reminders.js';
import { loadDemoScheduleOnce } from './appointments/demo-schedule.js';
import { demoGuardianLines, loadDemoGuardianOnce, type DemoGuardianState } from './caregivers/demo-guardian.js';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { openStore, StoreOpenError } from './store/store.js';

/** Starts the portal from the environment. Any setting it cannot use stops it with one line naming the setting. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // One clock for everything below: the system clock, or in tests only a moved one (TEST_CLOCK_FILE, refused by
  // loadConfig unless NODE_ENV=test on localhost). Log lines keep the real time.
  const clock: Clock = config.testClockFile ? offsetFileClock(config.testClockFile) : systemClock;
  if (config.testClockFile)
    logger.warn('the clock is moved by TEST_CLOCK_FILE (tests only)', { file: config.testClockFile });
  let store;
  try {
    store = await openStore(config.databaseUrl);
  } catch (error) {
    if (error instanceof StoreOpenError) {
      fail(`${error.message}. Check DATABASE_URL (now ${redactDatabaseUrl(config.databaseUrl)}) or DATA_DIR.`);
    }
    throw error;
  }
  // First start on an empty database: load the demo clinic (once; recorded in app_meta). DEMO_DATA=off skips it.
  let demo: DemoState = { status: 'skipped', reason: 'DEMO_DATA=off' };
  if (config.demoData) {
    try {
      demo = await loadDemoOnce(store, clock.now());
    } catch (error) {
      fail(`cannot load the demo patients into the new database: ${(error as Error).message}`);
    }
  }
  // The demo child's guardian (Sofia Alvarez, an account with an activated guardian grant for Maya), once.
  let guardian: DemoGuardianState = { status: 'skipped', reason: 'no demo' };
  if (demo.status !== 'skipped') {
    try {
      guardian = await loadDemoGuardianOnce(store, clock.now());
    } catch (error) {
      fail(`cannot set up the demo guardian: ${(error as Error).message}`);
    }
  }
  if (config.demoData) {
    try {
      await loadDemoScheduleOnce(store, config.clinic.timeZone, clock.now());
    } catch (error) {
      fail(`cannot load the demo clinic's schedules: ${(error as Error).message}`);
    }
  }
  const { mailer, sms } = createSenders(config, logger);
  const app = createApp({ store, config, clock, logger, mailer, sms });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info('listening', {
      host: config.host,
      port: info.port,
      database: store.dialect,
      origin: config.publicOrigin,
    });
    for (const line of [...demoLines(demo), ...demoGuardianLines(guardian)]) process.stdout.write(`${line}\n`);
    process.stdout.write(`\nmayocarelink is ready: open ${config.publicOrigin.replace(/:\d+$/, '')}:${info.port}/\n\n`);
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    fail(
      error.code === 'EADDRINUSE'
        ? `port ${config.port} on ${config.host} is already in use. Set PORT to a free port.`
        : `cannot listen on ${config.host}:${config.port}: ${error.message}. Check HOST and PORT.`,
    );
  });
  // Expired single-use tokens (challenges, flows, links) are deleted hourly.
  const purge = () =>
    void Promise.all([purgeExpiredTokens(store.db, clock.now()), purgeIdempotencyKeys(store.db, clock.now())]).catch(
      (error: Error) => logger.error('purge failed', { error: error.message }),
    );
  purge();
  const purger = setInterval(purge, 3600_000);
  purger.unref();
  // Appointment reminders: every instance runs the job; the database hands each reminder to one of them.
  const runner = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  let running = false;
  const remind = () => {
    if (running) return;
    running = true;
    const now = clock.now();
    void runReminders({ store, mailer, sms, config, logger }, runner, now)
      .then((sent) => {
        // One line per pass at debug level: an end-to-end test waits for a pass at its moved time before it
        // says that nothing was sent.
        logger.debug('reminders checked', { at: now.toISOString(), sent });
        if (sent) logger.info('reminders sent', { sent });
      })
      .catch((error: Error) => logger.error('reminders failed', { error: error.message }))
      .finally(() => (running = false));
  };
  remind();
  const reminders = setInterval(remind, config.appointments.reminderPollMs);
  reminders.unref();
  const stop = (signal: string) => {
    logger.info('stopping', { signal });
    server.close(() => void store.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function fail(message: string): never {
  process.stderr.write(`mayocarelink cannot start: ${message}\n`);
  process.exit(1);
}

await main();
