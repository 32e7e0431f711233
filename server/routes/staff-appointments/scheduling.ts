import { Hono, type Context } from 'hono';
import type { AppDeps, AppEnv } from '../../deps.js';
import type { AuditAction } from '../../../common/audit-actions.js';
import { appendAudit } from '../../audit/log.js';
import {
  addSlots,
  MissingScheduleItem,
  saveSchedule,
  saveVisitType,
  scheduleInput,
  slotPlanInput,
  visitTypeInput,
} from '../../appointments/scheduling.js';
import { ApiError } from '../../errors.js';
import { pathId } from '../../http/ids.js';
import { jsonBody } from '../../http/json-body.js';
import { requireRole } from '../../http/require-role.js';
import { authOf, clientIp } from '../../http/require-session.js';

/**
 * `/api/staff/appointments/scheduling` (administrators; behind requireSession in index.ts): visit types, schedules and
 * adding bookable times.
 */
export function schedulingRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const zone = config.clinic.timeZone;
  const admin = requireRole(deps, 'admin');
  const audit = (c: Context<AppEnv>, action: AuditAction, target: string, detail?: string) =>
    appendAudit(
      store.db,
      {
        actor: authOf(c).account.id,
        action,
        outcome: 'success',
        ip: clientIp(c),
        target,
        ...(detail ? { detail } : {}),
      },
      clock.now(),
    );

  return new Hono<AppEnv>()
    .get('/', admin, async (c) => {
      const [visitTypes, schedules] = await Promise.all([
        store.db.selectFrom('visit_type').selectAll().orderBy('name').execute(),
        store.db.selectFrom('schedule').selectAll().orderBy('name').execute(),
      ]);
      return c.json({ visitTypes, schedules });
    })
    .post('/visit-types', admin, jsonBody(visitTypeInput), async (c) => {
      const input = c.req.valid('json');
      await saveVisitType(store.db, input, clock.now());
      await audit(c, 'staff.scheduling.visit-type', `visit_type/${input.id}`);
      return c.json({ visitType: input }, 201);
    })
    .post('/schedules', admin, jsonBody(scheduleInput), async (c) => {
      const input = c.req.valid('json');
      await saveSchedule(store.db, input, clock.now());
      await audit(c, 'staff.scheduling.schedule', `schedule/${input.id}`);
      return c.json({ schedule: input }, 201);
    })
    .post('/schedules/:id/slots', admin, jsonBody(slotPlanInput), async (c) => {
      const plan = c.req.valid('json');
      let result;
      try {
        result = await addSlots(
          store.db,
          pathId(c.req.param('id'), 'There is no such schedule.'),
          plan,
          zone,
          clock.now(),
        );
      } catch (error) {
        if (error instanceof MissingScheduleItem) throw new ApiError(404, 'not_found', error.message);
        throw error;
      }
      await audit(c, 'staff.scheduling.slots', `schedule/${c.req.param('id')}`, `${result.added} added`);
      return c.json(result, 201);
    });
}
