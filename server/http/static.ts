import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppEnv } from '../deps.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * Serves the built app from `publicDir`. Files under /assets/ carry a content hash in their names and are cached
 * for a year; everything else (index.html, sw.js, icons) is revalidated on each use so an update is seen at once.
 * A navigation to any app route (no file extension) gets the shell, so deep links work online as they do offline.
 */
export function staticRoutes(publicDir: string) {
  const app = new Hono<AppEnv>();
  const indexFile = join(publicDir, 'index.html');
  if (!existsSync(indexFile)) {
    return app.get('*', (c, next) =>
      isNavigation(c.req.path)
        ? c.text('The app has not been built yet. Run `npm run build`, then start the server again.', 503)
        : next(),
    );
  }
  app.use('*', async (c, next) => {
    await next();
    // Set on the finished response: serveStatic builds its response before its onFound hook runs.
    if (c.res.status === 200 || c.res.status === 206) {
      c.res.headers.set('Cache-Control', c.req.path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
    }
  });
  app.use('*', serveStatic({ root: publicDir, precompressed: true }));
  app.get('*', async (c, next) => {
    if (!isNavigation(c.req.path)) return next();
    c.header('Cache-Control', REVALIDATE);
    return c.html(await readFile(indexFile, 'utf8'));
  });
  return app;
}

/** An app route such as /help or /records/results/123: not the API and no file extension in the last segment. */
function isNavigation(path: string): boolean {
  if (path === '/api' || path.startsWith('/api/')) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}
