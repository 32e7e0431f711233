import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { Store } from './store/store.js';
import type { Mailer } from './notify/mailer.js';
import type { SmsSender } from './notify/sms.js';
import type { Account, Session } from './auth/sessions.js';

// The types every route, middleware and service shares with the app. Types only: services import this module, never
// app.ts (which imports every route) or a route.

/** Everything the app needs from outside, passed in (no module-level singletons): tests build one with a fresh store. */
export interface AppDeps {
  store: Store;
  config: Config;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  sms: SmsSender;
}

/** Set by requireSession for the handlers behind it. */
export interface AuthContext {
  account: Account;
  session: Session;
  idleExpiresAt: Date;
}

/** Set by requireIdempotencyKey: the key this attempt holds. */
export interface IdempotencyLease {
  accountId: string;
  key: string;
  token: string;
  /** Set when the answer was stored: nothing to free afterwards. */
  done?: boolean;
}

export type AppEnv = { Variables: { requestId: string; auth?: AuthContext; idempotency?: IdempotencyLease } };
