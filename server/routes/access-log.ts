import { Hono, type MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.js';
import { accessLogPage, type AccessLogEntry, type WhoKind } from '../audit/access-log.js';
import { addDays, zoneOffsetMs, zonedTimeToUtc } from '../appointments/clinic-time.js';
import { ApiError, jsonError } from '../errors.js';
import { csvFile } from '../http/csv.js';
import { authOf, requireSession } from '../http/require-session.js';
import { ACCESS_KIND_WORDS, outcomeInWords } from '../../common/audit-kinds.js';

/** Entries per page of the JSON answer. */
export const ACCESS_LOG_PAGE = 100;
/** The CSV holds at most this many entries (newest first); a narrower filter reaches older ones. */
export const ACCESS_LOG_CSV_MAX = 20_000;

const logQuery = z
  .object({
    person: z.string().min(1).max(64, 'person: not a person of this log').optional(),
    from: z.iso.date('From: use a date such as 2026-12-01.').optional(),
    to: z.iso.date('To: use a date such as 2026-12-31.').optional(),
    // Text, as the typed client sends it and the answer's `next` gives it; a number once read.
    cursor: z
      .string()
      .regex(/^[1-9]\d{0,14}$/, 'cursor: not a page of this log')
      .optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'From must be on or before To.', path: ['from'] });

/** The log's query, declared so the typed client sends it; a bad one is 400 with the reason. */
const logQueryIn = validator('query', (_query, c) => {
  const parsed = logQuery.safeParse(c.req.query());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError(400, 'invalid_query', issue.message, [
      { path: issue.path.join('.') || 'query', message: issue.message },
    ]);
  }
  return parsed.data;
});

const KIND_WORDS: Record<WhoKind, string> = {
  you: 'You',
  caregiver: 'Caregiver',
  guardian: 'Guardian',
  staff: 'Staff',
  clinic: 'The clinic',
  someone: 'Someone else',
};

/** `2026-11-25 06:00` on the clocks of `zone`. */
function wallTime(at: string, zone: string): string {
  const instant = new Date(at);
  return new Date(instant.getTime() + zoneOffsetMs(instant, zone)).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * `/api/access-log` and `/api/access-log.csv` ("who has seen my record", [3/11]): every read and change of the
 * signed-in patient's own record and of who may see it, from the audit log, newest first: by the patient, their
 * caregivers and guardians (by name), staff (by name and role), the clinic. `person`, `from` and `to` (days of the
 * clinic's calendar, both included) narrow it. An account with no record of its own (a caregiver only, staff) has no
 * log: 404.
 *
 * - `GET /access-log?person=&from=&to=&cursor=` → `{ entries, people, next? }`: 100 entries a page; `next` is the
 *   `cursor` of the page after; `people` is everyone in the whole log, for the filter.
 * - `GET /access-log.csv?person=&from=&to=` → the same entries (up to 20,000) as a CSV attachment, UTF-8 with BOM.
 *
 * Mounted at `/api` (the CSV's path is a sibling of the list's, not under it).
 */
export function accessLogRoutes(deps: AppDeps) {
  const { store, config } = deps;
  const zone = config.clinic.timeZone;
  const ownRecord: MiddlewareHandler<AppEnv> = async (c, next) => {
    const { account } = authOf(c);
    if (account.kind !== 'patient' || !account.patient_id)
      return jsonError(
        c,
        404,
        'no_record',
        'This account has no health record of its own, so it has no access log. The access log of someone you help is in their own account.',
      );
    return next();
  };
  const range = (q: { from?: string; to?: string }) => ({
    from: q.from ? zonedTimeToUtc(q.from, '00:00', zone).toISOString() : undefined,
    to: q.to ? zonedTimeToUtc(addDays(q.to, 1), '00:00', zone).toISOString() : undefined,
  });
  return new Hono<AppEnv>()
    .get('/access-log', requireSession(deps), ownRecord, logQueryIn, async (c) => {
      const q = c.req.valid('query');
      const page = await accessLogPage(
        store.db,
        {
          patientId: authOf(c).account.patient_id!,
          person: q.person,
          ...range(q),
          before: q.cursor ? Number(q.cursor) : undefined,
          limit: ACCESS_LOG_PAGE,
        },
        zone,
      );
      return c.json({
        timeZone: zone,
        entries: page.entries,
        people: page.people,
        ...(page.next ? { next: String(page.next) } : {}),
      });
    })
    .get('/access-log.csv', requireSession(deps), ownRecord, logQueryIn, async (c) => {
      const q = c.req.valid('query');
      const entries: AccessLogEntry[] = [];
      for (let before = q.cursor ? Number(q.cursor) : undefined; entries.length < ACCESS_LOG_CSV_MAX;) {
        const page = await accessLogPage(
          store.db,
          {
            patientId: authOf(c).account.patient_id!,
            person: q.person,
            ...range(q),
            before,
            limit: Math.min(1000, ACCESS_LOG_CSV_MAX - entries.length),
          },
          zone,
        );
        entries.push(...page.entries);
        if (!page.next) break;
        before = page.next;
      }
      const body = csvFile(
        [`Date and time (${zone})`, 'Date and time (UTC)', 'Who', 'As', 'Kind', 'What', 'Outcome'],
        entries.map((e) => [
          wallTime(e.at, zone),
          e.at,
          e.who.name,
          e.who.role ? `${KIND_WORDS[e.who.kind]}: ${e.who.role}` : KIND_WORDS[e.who.kind],
          ACCESS_KIND_WORDS[e.kind],
          e.what,
          outcomeInWords(e.outcome),
        ]),
      );
      const name = `access-log-${q.from ?? 'start'}-to-${q.to ?? 'now'}.csv`;
      return c.body(body, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
      });
    });
}
