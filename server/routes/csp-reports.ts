import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, AppDeps } from '../deps.js';
import { jsonBody } from '../http/json-body.js';

// The browser writes these (CSP Level 3 §5.3 `report-uri`, and the Reporting API); they name what was blocked.
const legacyReport = z.object({
  'csp-report': z.object({
    'document-uri': z.string().max(2048).optional(),
    'violated-directive': z.string().max(200).optional(),
    'effective-directive': z.string().max(200).optional(),
    'blocked-uri': z.string().max(2048).optional(),
  }),
});
const reportingApi = z
  .array(
    z.object({
      type: z.string().max(100),
      body: z.object({
        documentURL: z.string().max(2048).optional(),
        effectiveDirective: z.string().max(200).optional(),
        blockedURL: z.string().max(2048).optional(),
      }),
    }),
  )
  .max(50);

/** Keeps only scheme, host and path: a query string could carry a token or a patient's details. */
function withoutQuery(url: string | undefined): string | undefined {
  if (!url) return url;
  try {
    const u = new URL(url);
    return u.origin === 'null' ? u.protocol : `${u.origin}${u.pathname}`;
  } catch {
    return url.slice(0, 40);
  }
}

/** `POST /api/csp-reports`: Content-Security-Policy violations, logged so an injection attempt is seen. */
export function cspReportRoutes({ logger }: AppDeps) {
  return new Hono<AppEnv>().post(
    '/',
    jsonBody(z.union([legacyReport, reportingApi]), [
      'application/csp-report',
      'application/reports+json',
      'application/json',
    ]),
    async (c) => {
      const body = c.req.valid('json');
      const reports = Array.isArray(body)
        ? body.map((r) => ({
            directive: r.body.effectiveDirective,
            blocked: r.body.blockedURL,
            page: r.body.documentURL,
          }))
        : [
            {
              directive: body['csp-report']['effective-directive'] ?? body['csp-report']['violated-directive'],
              blocked: body['csp-report']['blocked-uri'],
              page: body['csp-report']['document-uri'],
            },
          ];
      for (const r of reports) {
        logger.warn('csp violation', {
          requestId: c.get('requestId'),
          directive: r.directive,
          blocked: withoutQuery(r.blocked),
          page: withoutQuery(r.page),
        });
      }
      return c.body(null, 204);
    },
  );
}
