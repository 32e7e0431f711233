import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.js';
import type { Clock } from '../clock.js';
import { jsonError } from '../errors.js';
import { clientIp } from './require-session.js';

/**
 * A fixed-window limit per client address, in memory, for anonymous requests that make the server store something
 * (passkey sign-in challenges): it keeps a script from filling the database. Per instance: with several instances
 * the limit is per instance, which still bounds the rows. (Failed sign-ins are limited per account elsewhere.)
 */
export function rateLimit(options: {
  limit: number;
  windowMs: number;
  clock: Clock;
  message: string;
}): MiddlewareHandler<AppEnv> {
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    const now = options.clock.now().getTime();
    const key = clientIp(c) ?? 'unknown';
    let w = windows.get(key);
    if (!w || now - w.start >= options.windowMs) {
      if (windows.size > 10_000) for (const [k, v] of windows) if (now - v.start >= options.windowMs) windows.delete(k);
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    if (++w.count > options.limit) {
      c.header('Retry-After', String(Math.ceil((w.start + options.windowMs - now) / 1000)));
      return jsonError(c, 429, 'too_many_requests', options.message);
    }
    return next();
  };
}
