import { Hono } from 'hono';
import { z } from 'zod';
import type { Appointment } from 'fhir/r4';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { ApiError } from '../errors.js';
import { readJsonBody } from '../http/json-body.js';
import { requireRole } from '../http/require-role.js';
import { authOf, clientIp, requireSession } from '../http/require-session.js';
import { appointmentFor, appointmentResource, assertBookable, cancelAppointment, holdSlot, lockAppointment, openSlots, planReminders, slotById } from '../appointments/appointments.js';
import { fhirId } from '../http/ids.js';
import { closeRequest } from '../appointments/requests.js';
import { putResources } from '../store/resources.js';
import type { JsonObject } from '../fhir-json/references.js';
import { pathId } from '../http/ids.js';
import { addDays, zonedTimeToUtc } from '../appointments/clinic-time.js';
import { addSlots, MissingScheduleItem, saveSchedule, saveVisitType, scheduleInput, slotPlanInput, visitTypeInput } from '../appointments/scheduling.js';
import { tellPatient } from '../notify/patient-news.js';
import { getResources } from '../store/resource-reads.js';
import { withTransaction } from '../store/store.js';
import type { Db } from '../auth/sessions.js';

const bookBody = z.object({ slotId: fhirId('Choose a time.') }).strict();
const declineBody = z.object({ reason: z.string().trim().min(1, 'Say why: the patient is told.').max(300, 'Reason: at most 300 characters.') }).strict();
const NO_REQUEST = 'There is no open appointment request with that id.';
const cancelBody = z.object({ reason: z.string().trim().min(1, 'Say why: the patient is told.').max(300, 'Reason: at most 300 characters.') }).strict();

/**
 * The clinic's side of appointments ([7/8]):
 * Under `/api/staff/appointments`:
 * - `GET /day?date=YYYY-MM-DD` (clinicians, administrators): the day's times in the clinic's zone, per
 *   schedule, with who is booked; one audit entry per look.
 * - `POST /:id/cancel {reason}`: the clinic cancels a visit (no cut-off); the patient sees it in
 *   their record and is told by their chosen channel (no clinical detail).
 * - `/scheduling` (administrators): visit types, schedules and adding bookable times.
 * - `GET /requests`: patients' open appointment requests, oldest first, with the visit types to book them as;
 *   `GET /requests/:id/slots?visitType=`: free times within the days asked for; `POST /requests/:id/book
 *   {slotId}`: the request becomes that booked visit (same Appointment, reminders planned); `POST
 *   /requests/:id/decline {reason}`. The patient is told either way.
 */
export function staffAppointmentRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const zone = config.clinic.timeZone;
  const staff = requireRole(deps, 'clinician', 'admin');
  const admin = requireRole(deps, 'admin');
  const audit = (c: Parameters<typeof authOf>[0], action: string, target: string, detail?: string) =>
    appendAudit(store.db, { actor: authOf(c).account.id, action, outcome: 'success', ip: clientIp(c), target, ...(detail ? { detail } : {}) }, clock.now());

  /** An open request (a proposed Appointment still in the queue), or the same 404 for anything else. */
  const openRequest = async (id: string, db: Db = store.db) => {
    const row = await db.selectFrom('appointment_request').select('state').where('appointment_id', '=', id).executeTakeFirst();
    const found = row?.state === 'open' ? await appointmentFor(db, id, 'any') : undefined;
    if (!found || found.appointment.status !== 'proposed') throw new ApiError(404, 'not_found', NO_REQUEST);
    return found;
  };

  return new Hono<AppEnv>()
    .use(requireSession(deps))
    .get('/day', staff, async (c) => {
      const date = c.req.query('date') ?? '';
      if (!z.iso.date().safeParse(date).success) throw new ApiError(400, 'invalid_query', 'date: a day such as 2026-12-01');
      const from = zonedTimeToUtc(date, '00:00', zone).toISOString();
      const to = zonedTimeToUtc(addDays(date, 1), '00:00', zone).toISOString();
      const rows = await store.db
        .selectFrom('slot as s')
        .innerJoin('schedule as c', 'c.id', 's.schedule_id')
        .innerJoin('visit_type as v', 'v.id', 's.visit_type_id')
        .leftJoin('slot_booking as b', 'b.slot_id', 's.id')
        .select(['s.id', 's.start_at', 's.end_at', 'c.id as schedule_id', 'c.name as schedule_name', 'c.department', 'c.location_name', 'v.name as visit_type', 'b.appointment_id', 'b.patient_id'])
        .where('s.start_at', '>=', from)
        .where('s.start_at', '<', to)
        .orderBy('c.name')
        .orderBy('s.start_at')
        .execute();
      const appointments = new Map((await getResources(store.db, 'Appointment', rows.flatMap((r) => (r.appointment_id ? [r.appointment_id] : [])))).map((a) => [a.id, a.resource as unknown as Appointment]));
      const schedules = new Map<string, { id: string; name: string; department: string; location: string; slots: unknown[] }>();
      for (const r of rows) {
        if (!schedules.has(r.schedule_id)) schedules.set(r.schedule_id, { id: r.schedule_id, name: r.schedule_name, department: r.department, location: r.location_name, slots: [] });
        const a = r.appointment_id ? appointments.get(r.appointment_id) : undefined;
        schedules.get(r.schedule_id)!.slots.push({
          id: r.id,
          start: r.start_at,
          end: r.end_at,
          visitType: r.visit_type,
          booked: a ? { appointmentId: a.id, patient: { id: r.patient_id, name: a.participant?.[0]?.actor?.display ?? 'Patient' }, status: a.status } : null,
        });
      }
      await audit(c, 'staff.schedule.view', `schedule/${date}`, `${appointments.size} appointments`);
      return c.json({ date, timeZone: zone, schedules: [...schedules.values()] });
    })
    .post('/:id/cancel', staff, async (c) => {
      const { reason } = await readJsonBody(c, cancelBody);
      const { account } = authOf(c);
      const now = clock.now();
      const result = await withTransaction(store, async (trx) => {
        const id = pathId(c.req.param('id'), 'There is no appointment with that id.');
        await lockAppointment(trx, store.dialect, id);
        const found = await appointmentFor(trx, id, 'any');
        if (!found) throw new ApiError(404, 'not_found', 'There is no appointment with that id.');
        if (found.appointment.status !== 'booked') throw new ApiError(409, 'not_booked', `This appointment is ${found.appointment.status}.`);
        const cancelled = await cancelAppointment(trx, store.dialect, found.appointment, `Cancelled by the clinic: ${reason}`, now);
        await appendAudit(trx, { actor: account.id, onBehalfOf: found.patientId, action: 'staff.appointment.cancelled', outcome: 'success', ip: clientIp(c), target: `Appointment/${found.appointment.id}` }, now);
        return { cancelled, patientId: found.patientId };
      });
      await tellPatient(deps, result.patientId, { subject: 'A change to one of your appointments', path: '/appointments' }, 'appointmentReminder');
      return c.json({ appointment: result.cancelled });
    })
    .get('/requests', staff, async (c) => {
      const open = await store.db.selectFrom('appointment_request').select(['appointment_id', 'patient_id', 'created_at']).where('state', '=', 'open').orderBy('created_at').limit(200).execute();
      const resources = new Map((await getResources(store.db, 'Appointment', open.map((r) => r.appointment_id))).map((a) => [a.id, a.resource as unknown as Appointment]));
      const visitTypes = await store.db.selectFrom('visit_type').select(['id', 'name', 'minutes']).orderBy('name').execute();
      const requests = open.flatMap((r) => {
        const a = resources.get(r.appointment_id);
        if (!a) return [];
        return [{ id: r.appointment_id, created: r.created_at, patient: { id: r.patient_id, name: a.participant[0]?.actor?.display ?? 'Patient' }, reason: a.reasonCode?.[0]?.text ?? '', earliest: a.requestedPeriod?.[0]?.start ?? '', latest: a.requestedPeriod?.[0]?.end ?? '', preference: a.comment ?? '' }];
      });
      // Each patient whose request was shown sees it in their own access log.
      const { account } = authOf(c);
      for (const r of requests) await appendAudit(store.db, { actor: account.id, onBehalfOf: r.patient.id, action: 'staff.appointment-request.view', outcome: 'success', ip: clientIp(c), target: `Appointment/${r.id}` }, clock.now());
      return c.json({ requests, visitTypes, timeZone: zone });
    })
    .get('/requests/:id/slots', staff, async (c) => {
      const request = await openRequest(pathId(c.req.param('id'), NO_REQUEST));
      await appendAudit(store.db, { actor: authOf(c).account.id, onBehalfOf: request.patientId, action: 'staff.appointment-request.times', outcome: 'success', ip: clientIp(c), target: `Appointment/${request.appointment.id}` }, clock.now());
      const visitType = c.req.query('visitType') ?? '';
      if (!/^[a-z0-9-]{1,40}$/.test(visitType)) throw new ApiError(400, 'invalid_query', 'Choose a visit type.');
      const period = request.appointment.requestedPeriod?.[0];
      const now = clock.now();
      if (!period?.start || !period.end || !z.iso.date().safeParse(period.start).success || !z.iso.date().safeParse(period.end).success) throw new ApiError(409, 'request_days', 'This request has no days the clinic can look in.');
      const from = new Date(Math.max(zonedTimeToUtc(period.start, '00:00', zone).getTime(), now.getTime()));
      const to = zonedTimeToUtc(addDays(period.end, 1), '00:00', zone);
      return c.json({ slots: await openSlots(store.db, { visitTypeId: visitType, from, to }) });
    })
    .post('/requests/:id/book', staff, async (c) => {
      const { slotId } = await readJsonBody(c, bookBody);
      const { account } = authOf(c);
      const id = pathId(c.req.param('id'), NO_REQUEST);
      const booked = await withTransaction(store, async (trx) => {
        const now = clock.now();
        await lockAppointment(trx, store.dialect, id);
        const { appointment, patientId } = await openRequest(id, trx);
        const slot = await slotById(trx, slotId);
        assertBookable(slot, now, true);
        await holdSlot(trx, slot.slot_id, id, patientId, now);
        const visit = { ...appointmentResource({ id, patientId, patientName: appointment.participant[0]?.actor?.display ?? 'Patient', slot, created: appointment.created ?? now.toISOString(), origin: config.publicOrigin }), ...(appointment.reasonCode ? { reasonCode: appointment.reasonCode } : {}) };
        await putResources(trx, store.dialect, [visit as unknown as JsonObject], now);
        await planReminders(trx, id, patientId, slot.start_at, config.appointments.reminders, now);
        await closeRequest(trx, id, 'booked', account.id, now);
        await appendAudit(trx, { actor: account.id, onBehalfOf: patientId, action: 'staff.appointment-request.booked', outcome: 'success', ip: clientIp(c), target: `Appointment/${id}` }, now);
        return { visit, patientId };
      });
      await tellPatient(deps, booked.patientId, { subject: 'Your appointment request: a time is booked', path: '/appointments' }, 'appointmentReminder');
      return c.json({ appointment: booked.visit });
    })
    .post('/requests/:id/decline', staff, async (c) => {
      const { reason } = await readJsonBody(c, declineBody);
      const { account } = authOf(c);
      const id = pathId(c.req.param('id'), NO_REQUEST);
      const declined = await withTransaction(store, async (trx) => {
        const now = clock.now();
        await lockAppointment(trx, store.dialect, id);
        const { appointment, patientId } = await openRequest(id, trx);
        const answer: Appointment = { ...appointment, status: 'cancelled', cancelationReason: { text: `Not booked by the clinic: ${reason}` } };
        await putResources(trx, store.dialect, [answer as unknown as JsonObject], now);
        await closeRequest(trx, id, 'declined', account.id, now);
        await appendAudit(trx, { actor: account.id, onBehalfOf: patientId, action: 'staff.appointment-request.declined', outcome: 'success', ip: clientIp(c), target: `Appointment/${id}` }, now);
        return { answer, patientId };
      });
      await tellPatient(deps, declined.patientId, { subject: 'An answer to your appointment request', path: '/appointments' }, 'appointmentReminder');
      return c.json({ appointment: declined.answer });
    })
    .get('/scheduling', admin, async (c) => {
      const [visitTypes, schedules] = await Promise.all([store.db.selectFrom('visit_type').selectAll().orderBy('name').execute(), store.db.selectFrom('schedule').selectAll().orderBy('name').execute()]);
      return c.json({ visitTypes, schedules });
    })
    .post('/scheduling/visit-types', admin, async (c) => {
      const input = await readJsonBody(c, visitTypeInput);
      await saveVisitType(store.db, input, clock.now());
      await audit(c, 'staff.scheduling.visit-type', `visit_type/${input.id}`);
      return c.json({ visitType: input }, 201);
    })
    .post('/scheduling/schedules', admin, async (c) => {
      const input = await readJsonBody(c, scheduleInput);
      await saveSchedule(store.db, input, clock.now());
      await audit(c, 'staff.scheduling.schedule', `schedule/${input.id}`);
      return c.json({ schedule: input }, 201);
    })
    .post('/scheduling/schedules/:id/slots', admin, async (c) => {
      const plan = await readJsonBody(c, slotPlanInput);
      let result;
      try {
        result = await addSlots(store.db, pathId(c.req.param('id'), 'There is no such schedule.'), plan, zone, clock.now());
      } catch (error) {
        if (error instanceof MissingScheduleItem) throw new ApiError(404, 'not_found', error.message);
        throw error;
      }
      await audit(c, 'staff.scheduling.slots', `schedule/${c.req.param('id')}`, `${result.added} added`);
      return c.json(result, 201);
    });
}
