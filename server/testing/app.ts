import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../app.js';
import type { Clock } from '../clock.js';
import { loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../log.js';
import { sqliteFactory, type TestStore } from './stores.js';
import { createMailer } from '../notify/mailer.js';
import { createSmsSender } from '../notify/sms.js';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  config: Config;
  testStore: TestStore;
  logs: Record<string, unknown>[];
  publicDir: string;
  close(): Promise<void>;
}

/** A small built app (shell, one hashed asset) so static serving is tested without running the real build. */
export function writeFakePublicDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcl-public-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>shell</title><mcl-app></mcl-app>');
  writeFileSync(join(dir, 'assets', 'main-ABCDEF12.js'), 'export {};');
  writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  return dir;
}

/** Builds the app in-process over a fresh SQLite store in a temp folder; requests go through `app.request()`. */
export async function createTestApp(
  options: { env?: Record<string, string>; clock?: Clock; logger?: Logger; testStore?: TestStore } = {},
): Promise<TestApp> {
  const testStore = options.testStore ?? (await sqliteFactory.open());
  const publicDir = writeFakePublicDir();
  const config = loadConfig({ DATA_DIR: join(publicDir, 'data'), PUBLIC_DIR: publicDir, ...options.env });
  const logs: Record<string, unknown>[] = [];
  const logger = options.logger ?? createLogger('debug', (line) => logs.push(JSON.parse(line)));
  const clock = options.clock ?? { now: () => new Date('2026-11-25T12:00:00Z') };
  // The real file mailer: tests read the .eml files it writes under DATA_DIR/mail.
  const mailer = createMailer({ from: config.mailFrom, outbox: join(config.dataDir, 'mail'), logger });
  // The real file sender for texts: tests read them under DATA_DIR/sms.
  const sms = createSmsSender({ outbox: join(config.dataDir, 'sms'), logger });
  const app = createApp({ store: testStore.store, config, clock, logger, mailer, sms });
  return { app, config, testStore, logs, publicDir, close: () => testStore.cleanup() };
}
