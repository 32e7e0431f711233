import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { ApiError } from '../errors.js';
import { requireRole } from '../http/require-role.js';
import { authOf, clientIp, requireSession } from '../http/require-session.js';

const COLUMNS = ['seq', 'at', 'actor', 'on_behalf_of', 'action', 'target', 'outcome', 'ip'] as const;

function toEntry(r: {
  seq: number;
  at: string;
  actor: string | null;
  on_behalf_of: string | null;
  action: string;
  target: string | null;
  outcome: string;
  ip: string | null;
}) {
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    onBehalfOf: r.on_behalf_of,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    ip: r.ip,
  };
}

const pageQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

function parsePage(query: Record<string, string>) {
  const parsed = pageQuery.safeParse(query);
  if (!parsed.success)
    throw new ApiError(
      400,
      'invalid_query',
      `Bad paging: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`,
    );
  return parsed.data;
}

/**
 * `/api/audit`: the audit entries about the signed-in account and its patient record (SECURITY.md: patients can read
 * the entries about their own record), newest first. `/api/audit/all`: every entry, for administrators only;
 * reading it is itself audited.
 */
export function auditRoutes(deps: AppDeps) {
  const { store, clock } = deps;
  return new Hono<AppEnv>()
    .get('/', requireSession(deps), async (c) => {
      const { account } = authOf(c);
      const { before, limit } = parsePage(c.req.query());
      let query = store.db
        .selectFrom('audit_log')
        .select(COLUMNS)
        .where((eb) =>
          eb.or([
            eb('actor', '=', account.id),
            ...(account.patient_id ? [eb('on_behalf_of', '=', account.patient_id)] : []),
          ]),
        );
      if (before) query = query.where('seq', '<', before);
      const rows = await query.orderBy('seq', 'desc').limit(limit).execute();
      // Where someone else acted on the record (a caregiver, the care team), where they were is theirs, not the
      // patient's to see: the address is shown only for the account's own actions.
      return c.json({ entries: rows.map((r) => toEntry(r.actor === account.id ? r : { ...r, ip: null })) });
    })
    .get('/all', requireSession(deps), requireRole(deps, 'admin'), async (c) => {
      const { account } = authOf(c);
      const { before, limit } = parsePage(c.req.query());
      let query = store.db.selectFrom('audit_log').select(COLUMNS);
      if (before) query = query.where('seq', '<', before);
      const rows = await query.orderBy('seq', 'desc').limit(limit).execute();
      await appendAudit(
        store.db,
        {
          actor: account.id,
          action: 'audit.read',
          outcome: 'success',
          ip: clientIp(c),
          detail: `${rows.length} entries`,
        },
        clock.now(),
      );
      return c.json({ entries: rows.map(toEntry) });
    });
}
