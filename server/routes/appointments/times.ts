import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { requireSession } from '../../http/require-session.js';
import { earliestOnline, onlineRulesOf, openSlots } from '../../appointments/appointments.js';

const slotsQuery = z.object({
  visitType: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,40}$/, 'Choose a visit type.'),
  schedule: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,64}$/, 'schedule: not a schedule id')
    .optional(),
  from: z.iso.date('from: a date such as 2026-12-01').optional(),
  /** 21 when not given (read as `q.days ?? 21`: optional here, so the typed client need not send it). */
  days: z.coerce.number().int().min(1).max(60).optional(),
});
/** The slots query, declared so the typed client sends it; the same 400 as when the handler parsed it by hand. */
const slotsQueryIn = validator('query', (_query, c) => {
  const parsed = slotsQuery.safeParse(c.req.query());
  if (!parsed.success) throw new ApiError(400, 'invalid_query', parsed.error.issues[0]!.message);
  return parsed.data;
});

/**
 * What a signed-in patient may book online, clinic-wide (no one's record): `GET /options`, the visit types patients
 * book themselves and the schedules offering them; `GET /slots?visitType=&schedule=&from=&days=`, free times,
 * soonest first, none sooner than the cut-off. Mounted under `/api/appointments` by index.ts.
 */
export function appointmentTimeRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const online = onlineRulesOf(config);
  return new Hono<AppEnv>()
    .use(requireSession(deps))
    .get('/options', async (c) => {
      const types = await store.db
        .selectFrom('visit_type')
        .selectAll()
        .where('bookable_online', '=', 1)
        .orderBy('name')
        .execute();
      const offered = await store.db
        .selectFrom('slot as s')
        .innerJoin('schedule as c', 'c.id', 's.schedule_id')
        .select(['s.visit_type_id', 'c.id', 'c.name', 'c.kind', 'c.department', 'c.practitioner_ref'])
        .where('s.start_at', '>=', earliestOnline(clock.now(), online).toISOString())
        .distinct()
        .execute();
      return c.json({
        visitTypes: types.map((t) => ({ id: t.id, name: t.name, minutes: t.minutes, instructions: t.instructions })),
        schedules: [
          ...new Map(
            offered.map((o) => [
              o.id,
              {
                id: o.id,
                name: o.name,
                kind: o.kind,
                department: o.department,
                practitioner: o.practitioner_ref,
                visitTypes: offered.filter((x) => x.id === o.id).map((x) => x.visit_type_id),
              },
            ]),
          ).values(),
        ],
      });
    })
    .get('/slots', slotsQueryIn, async (c) => {
      const q = c.req.valid('query');
      const type = await store.db
        .selectFrom('visit_type')
        .select(['bookable_online', 'name'])
        .where('id', '=', q.visitType)
        .executeTakeFirst();
      if (!type) throw new ApiError(404, 'visit_type_not_found', 'There is no such visit type.');
      if (!type.bookable_online)
        throw new ApiError(
          403,
          'not_bookable_online',
          `“${type.name}” visits are booked by the clinic. Please call ${config.clinic.support.phone}.`,
        );
      // Nothing sooner than the cut-off: a time the patient could not book (nor cancel) online is not offered.
      const earliest = earliestOnline(clock.now(), online);
      const from = q.from
        ? new Date(Math.max(Date.parse(`${q.from}T00:00:00Z`) - 86_400_000, earliest.getTime()))
        : earliest;
      const to = new Date(from.getTime() + (q.days ?? 21) * 86_400_000);
      return c.json({
        slots: await openSlots(store.db, {
          visitTypeId: q.visitType,
          ...(q.schedule ? { scheduleId: q.schedule } : {}),
          from,
          to,
        }),
      });
    });
}
