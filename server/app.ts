import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { methodNotAllowed } from 'hono/method-not-allowed';
import type { AppDeps, AppEnv } from './deps.js';
import { BusyError } from './auth/concurrency-limit.js';
import { csrfProtection } from './http/csrf.js';
import { ApiError, errorBody, jsonError } from './errors.js';
import { securityHeaders } from './http/security-headers.js';
import { staticRoutes } from './http/static.js';
import { cspReportRoutes } from './routes/csp-reports.js';
import { healthRoutes } from './routes/health.js';
import { publicRoutes } from './routes/public.js';
import { sessionRoutes } from './routes/session.js';
import { signupRoutes } from './routes/signup.js';
import { passwordResetRoutes } from './routes/password-reset.js';
import { staffEnrolRoutes } from './routes/staff-enrol.js';
import { auditRoutes } from './routes/audit.js';
import { accessLogRoutes } from './routes/access-log.js';
import { sessionStepRoutes } from './routes/session-steps.js';
import { factorRoutes } from './routes/factors/index.js';
import { accountRoutes } from './routes/account.js';
import { recordRoutes } from './routes/records.js';
import { refillRoutes } from './routes/refills.js';
import { staffRefillRoutes } from './routes/staff-refills.js';
import { messageRoutes } from './routes/messages.js';
import { staffMessageRoutes } from './routes/staff-messages.js';
import { appointmentRoutes } from './routes/appointments/index.js';
import { sharingRoutes } from './routes/sharing.js';
import { staffGuardianRoutes } from './routes/staff-guardians.js';
import { caregiverRoutes } from './routes/caregiver.js';
import { staffAppointmentRoutes } from './routes/staff-appointments/index.js';
import { ATTACHMENT_MAX_BASE64 } from './messages/attachments.js';
import { ATTACHMENTS_MAX } from './messages/messages.js';

/** JSON bodies larger than this are refused with 413 before they are read. */
export const JSON_BODY_LIMIT = 1024 * 1024;
/** Messages may carry files (up to 3 of 10 MB, base64): their routes alone take bodies this large. */
export const MESSAGE_BODY_LIMIT = ATTACHMENTS_MAX * ATTACHMENT_MAX_BASE64 + 256 * 1024;
/** The two requests that carry files: a patient's message and a staff reply. */
const FILE_PATHS = /^\/api\/(messages\/?|staff\/messages\/[^/]+\/reply)$/;

export function createApp(deps: AppDeps) {
  const { logger, config } = deps;
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    // The path only: query strings may hold tokens or patient details and never reach the log.
    logger.info('request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });
  app.use(securityHeaders(config.publicOrigin));
  app.use('/api/*', async (c, next) => {
    await next();
    // No response of the API may be kept by a browser or a proxy (SECURITY.md: no-store on PHI).
    c.header('Cache-Control', 'no-store');
  });
  const limited = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) => jsonError(c, 413, 'body_too_large', `The request body is larger than ${maxSize} bytes.`),
    });
  const small = limited(JSON_BODY_LIMIT);
  const large = limited(MESSAGE_BODY_LIMIT);
  app.use('/api/*', (c, next) => (c.req.method === 'POST' && FILE_PATHS.test(c.req.path) ? large : small)(c, next));
  app.use('/api/*', csrfProtection(config.publicOrigin, ['/api/csp-reports']));
  app.use(
    '/api/*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        c.json(
          errorBody('method_not_allowed', `${c.req.method} is not allowed here; use ${methods.join(', ')}.`),
          405,
          {
            Allow: methods.join(', '),
          },
        ),
    }),
  );

  const routes = app
    .route('/api/health', healthRoutes(deps))
    .route('/api/csp-reports', cspReportRoutes(deps))
    .route('/api/session', sessionRoutes(deps))
    .route('/api/session', sessionStepRoutes(deps))
    .route('/api/factors', factorRoutes(deps))
    .route('/api/account', accountRoutes(deps))
    .route('/api/records', recordRoutes(deps))
    .route('/api/refills', refillRoutes(deps))
    .route('/api/staff/refills', staffRefillRoutes(deps))
    .route('/api/messages', messageRoutes(deps))
    .route('/api/staff/messages', staffMessageRoutes(deps))
    .route('/api/appointments', appointmentRoutes(deps))
    .route('/api/staff/appointments', staffAppointmentRoutes(deps))
    .route('/api/staff/guardians', staffGuardianRoutes(deps))
    .route('/api/sharing', sharingRoutes(deps))
    .route('/api/caregiver', caregiverRoutes(deps))
    .route('/api/signup', signupRoutes(deps))
    .route('/api/password-reset', passwordResetRoutes(deps))
    .route('/api/staff-enrol', staffEnrolRoutes(deps))
    .route('/api/audit', auditRoutes(deps))
    .route('/api', accessLogRoutes(deps))
    .route('/', publicRoutes(deps));

  app.all('/api/*', (c) => jsonError(c, 404, 'not_found', `There is no API at ${c.req.path}.`));
  app.route('/', staticRoutes(config.publicDir));

  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? jsonError(c, 404, 'not_found', `There is no API at ${c.req.path}.`)
      : c.text('Not found', 404),
  );
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return c.json({ ...errorBody(error.code, error.message, error.issues), ...error.extra }, error.status);
    }
    if (error instanceof BusyError) {
      c.header('Retry-After', '2');
      return c.json(errorBody('busy', 'The portal is very busy right now. Please try again in a moment.'), 503);
    }
    if (error instanceof HTTPException) {
      return c.json(errorBody('http_error', error.message || 'The request could not be handled.'), error.status);
    }
    const requestId = c.get('requestId');
    logger.error('unhandled error', {
      requestId,
      path: c.req.path,
      error: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
    return c.json({ ...errorBody('internal', 'Something went wrong on our side. Please try again.'), requestId }, 500);
  });
  return routes;
}

export type AppType = ReturnType<typeof createApp>;
