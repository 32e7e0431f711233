import { Hono } from 'hono';
import type { AppEnv, AppDeps } from '../deps.js';

/** `GET /api/health`: 200 when the database answers, 503 when it does not. For load balancers and monitors. */
export function healthRoutes({ store, clock }: AppDeps) {
  return new Hono<AppEnv>().get('/', async (c) => {
    const started = performance.now();
    try {
      await store.ping();
    } catch {
      return c.json(
        { status: 'unavailable', error: 'database_unavailable', message: 'The database is not answering.' },
        503,
      );
    }
    return c.json({
      status: 'ok',
      database: store.dialect,
      databaseMs: Math.round((performance.now() - started) * 10) / 10,
      time: clock.now().toISOString(),
    });
  });
}
