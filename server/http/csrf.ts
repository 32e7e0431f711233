import type { MiddlewareHandler } from 'hono';
import { jsonError } from '../errors.js';

/** The header the portal's own pages add to every API call. A cross-site form or fetch cannot send it without a
 * CORS preflight, which this server never grants. */
export const CSRF_HEADER = 'X-Requested-With';
export const CSRF_HEADER_VALUE = 'mayocarelink';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for state-changing API requests (SECURITY.md; ASVS 3.5.1): the request must come from the portal's
 * own origin (Origin header, or Sec-Fetch-Site where Origin is absent) AND carry the custom header. GET never changes
 * state, so it is not checked. `exempt` paths take requests browsers send on their own (CSP reports), which change
 * nothing but a log.
 */
export function csrfProtection(publicOrigin: string, exempt: readonly string[] = []): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method) || exempt.includes(c.req.path)) return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const sameOrigin = origin !== undefined ? origin === publicOrigin : site === undefined || site === 'same-origin';
    if (!sameOrigin || c.req.header(CSRF_HEADER) !== CSRF_HEADER_VALUE) {
      return jsonError(c, 403, 'cross_site_request', 'This request did not come from the portal and was refused.');
    }
    return next();
  };
}
