import { Hono, type Context } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import type { Appointment } from 'fhir/r4';
import type { AppDeps, AppEnv } from '../../deps.js';
import type { AuditAction } from '../../../common/audit-actions.js';
import { appendAudit } from '../../audit/log.js';
import { appointmentFor, cancelAppointment, lockAppointment } from '../../appointments/appointments.js';
import { addDays, zonedTimeToUtc } from '../../appointments/clinic-time.js';
import { ApiError } from '../../errors.js';
import { pathId } from '../../http/ids.js';
import { jsonBody } from '../../http/json-body.js';
import { requireRole } from '../../http/require-role.js';
import { authOf, clientIp, requireSession } from '../../http/require-session.js';
import { tellPatient } from '../../notify/patient-news.js';
import { getResources } from '../../store/resource-reads.js';
import { withTransaction } from '../../store/store.js';
import { staffAppointmentRequestRoutes } from './requests.js';
import { schedulingRoutes } from './scheduling.js';

/** `?date=YYYY-MM-DD`, declared so the typed client sends it; the same 400 as when the handler read it by hand. */
const dayQuery = validator('query', (_query, c) => {
  const date = c.req.query('date') ?? '';
  if (!z.iso.date().safeParse(date).success) throw new ApiError(400, 'invalid_query', 'date: a day such as 2026-12-01');
  return { date };
});

const cancelBody = z
  .object({
    reason: z.string().trim().min(1, 'Say why: the patient is told.').max(300, 'Reason: at most 300 characters.'),
  })
  .strict();

/**
 * The clinic's side of appointments ([7/8]), under `/api/staff/appointments`, all behind requireSession:
 * - `GET /day?date=YYYY-MM-DD` (clinicians, administrators): the day's times in the clinic's zone, per
 *   schedule, with who is booked; one audit entry per look.
 * - `POST /:id/cancel {reason}`: the clinic cancels a visit (no cut-off); the patient sees it in
 *   their record and is told by their chosen channel (no clinical detail).
 * - `/requests` (requests.ts): patients' appointment requests, booked or declined by the care team.
 * - `/scheduling` (scheduling.ts, administrators): visit types, schedules and adding bookable times.
 */
export function staffAppointmentRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const zone = config.clinic.timeZone;
  const staff = requireRole(deps, 'clinician', 'admin');
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
    .use(requireSession(deps))
    .get('/day', staff, dayQuery, async (c) => {
      const { date } = c.req.valid('query');
      const from = zonedTimeToUtc(date, '00:00', zone).toISOString();
      const to = zonedTimeToUtc(addDays(date, 1), '00:00', zone).toISOString();
      const rows = await store.db
        .selectFrom('slot as s')
        .innerJoin('schedule as c', 'c.id', 's.schedule_id')
        .innerJoin('visit_type as v', 'v.id', 's.visit_type_id')
        .leftJoin('slot_booking as b', 'b.slot_id', 's.id')
        .select([
          's.id',
          's.start_at',
          's.end_at',
          'c.id as schedule_id',
          'c.name as schedule_name',
          'c.department',
          'c.location_name',
        ])
        .select(['v.name as visit_type', 'b.appointment_id', 'b.patient_id'])
        .where('s.start_at', '>=', from)
        .where('s.start_at', '<', to)
        .orderBy('c.name')
        .orderBy('s.start_at')
        .execute();
      const booked = await getResources(
        store.db,
        'Appointment',
        rows.flatMap((r) => (r.appointment_id ? [r.appointment_id] : [])),
      );
      const appointments = new Map(booked.map((a) => [a.id, a.resource as unknown as Appointment]));
      // One time of the day as the page shows it; its type is the answer's, which the typed client reads.
      const slotOf = (r: (typeof rows)[number]) => {
        const a = r.appointment_id ? appointments.get(r.appointment_id) : undefined;
        return {
          id: r.id,
          start: r.start_at,
          end: r.end_at,
          visitType: r.visit_type,
          booked: a
            ? {
                appointmentId: a.id,
                patient: { id: r.patient_id, name: a.participant?.[0]?.actor?.display ?? 'Patient' },
                status: a.status,
              }
            : null,
        };
      };
      const schedules = new Map<
        string,
        { id: string; name: string; department: string; location: string; slots: ReturnType<typeof slotOf>[] }
      >();
      for (const r of rows) {
        if (!schedules.has(r.schedule_id)) {
          schedules.set(r.schedule_id, {
            id: r.schedule_id,
            name: r.schedule_name,
            department: r.department,
            location: r.location_name,
            slots: [],
          });
        }
        schedules.get(r.schedule_id)!.slots.push(slotOf(r));
      }
      await audit(c, 'staff.schedule.view', `schedule/${date}`, `${appointments.size} appointments`);
      return c.json({ date, timeZone: zone, schedules: [...schedules.values()] });
    })
    .post('/:id/cancel', staff, jsonBody(cancelBody), async (c) => {
      const { reason } = c.req.valid('json');
      const { account } = authOf(c);
      const now = clock.now();
      const result = await withTransaction(store, async (trx) => {
        const id = pathId(c.req.param('id'), 'There is no appointment with that id.');
        await lockAppointment(trx, store.dialect, id);
        const found = await appointmentFor(trx, id, 'any');
        if (!found) throw new ApiError(404, 'not_found', 'There is no appointment with that id.');
        if (found.appointment.status !== 'booked')
          throw new ApiError(409, 'not_booked', `This appointment is ${found.appointment.status}.`);
        const cancelled = await cancelAppointment(
          trx,
          store.dialect,
          found.appointment,
          `Cancelled by the clinic: ${reason}`,
          now,
        );
        await appendAudit(
          trx,
          {
            actor: account.id,
            onBehalfOf: found.patientId,
            action: 'staff.appointment.cancelled',
            outcome: 'success',
            ip: clientIp(c),
            target: `Appointment/${found.appointment.id}`,
          },
          now,
        );
        return { cancelled, patientId: found.patientId };
      });
      const news = { subject: 'A change to one of your appointments', path: '/appointments' };
      await tellPatient(deps, result.patientId, news, 'appointmentReminder');
      return c.json({ appointment: result.cancelled });
    })
    .route('/requests', staffAppointmentRequestRoutes(deps))
    .route('/scheduling', schedulingRoutes(deps));
}
