import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import type { Appointment } from 'fhir/r4';
import type { AppDeps, AppEnv } from '../../deps.js';
import { appendAudit } from '../../audit/log.js';
import type { Db } from '../../auth/sessions.js';
import {
  appointmentFor,
  appointmentResource,
  assertBookable,
  holdSlot,
  lockAppointment,
  openSlots,
  planReminders,
  slotById,
} from '../../appointments/appointments.js';
import { addDays, zonedTimeToUtc } from '../../appointments/clinic-time.js';
import { closeRequest } from '../../appointments/requests.js';
import { ApiError } from '../../errors.js';
import { sentByOf } from '../../../common/on-behalf.js';
import type { JsonObject } from '../../fhir-json/references.js';
import { fhirId, pathId } from '../../http/ids.js';
import { jsonBody } from '../../http/json-body.js';
import { requireRole } from '../../http/require-role.js';
import { authOf, clientIp } from '../../http/require-session.js';
import { tellPatient } from '../../notify/patient-news.js';
import { getResources } from '../../store/resource-reads.js';
import { putResources } from '../../store/resources.js';
import { withTransaction } from '../../store/store.js';

const bookBody = z.object({ slotId: fhirId('Choose a time.') }).strict();
const declineBody = z
  .object({
    reason: z.string().trim().min(1, 'Say why: the patient is told.').max(300, 'Reason: at most 300 characters.'),
  })
  .strict();
const NO_REQUEST = 'There is no open appointment request with that id.';
/**
 * `?visitType=`, declared so the typed client sends it. Only read here: the handler checks it after finding the
 * request, so an unknown request is still a 404 (and a known one is audited) whatever the query says.
 */
const slotsQuery = validator('query', (_query, c) => ({ visitType: c.req.query('visitType') ?? '' }));

/**
 * `/api/staff/appointments/requests` (clinicians, administrators; behind requireSession in index.ts): patients' open
 * appointment requests, oldest first, with the visit types to book them as; `GET /:id/slots?visitType=`: free times
 * within the days asked for; `POST /:id/book {slotId}`: the request becomes that booked visit (same Appointment,
 * reminders planned); `POST /:id/decline {reason}`. The patient is told either way.
 */
export function staffAppointmentRequestRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const zone = config.clinic.timeZone;
  const staff = requireRole(deps, 'clinician', 'admin');

  /** An open request (a proposed Appointment still in the queue), or the same 404 for anything else. */
  const openRequest = async (id: string, db: Db = store.db) => {
    const row = await db
      .selectFrom('appointment_request')
      .select('state')
      .where('appointment_id', '=', id)
      .executeTakeFirst();
    const found = row?.state === 'open' ? await appointmentFor(db, id, 'any') : undefined;
    if (!found || found.appointment.status !== 'proposed') throw new ApiError(404, 'not_found', NO_REQUEST);
    return found;
  };

  return new Hono<AppEnv>()
    .get('/', staff, async (c) => {
      const open = await store.db
        .selectFrom('appointment_request')
        .select(['appointment_id', 'patient_id', 'created_at'])
        .where('state', '=', 'open')
        .orderBy('created_at')
        .limit(200)
        .execute();
      const found = await getResources(
        store.db,
        'Appointment',
        open.map((r) => r.appointment_id),
      );
      const resources = new Map(found.map((a) => [a.id, a.resource as unknown as Appointment]));
      const visitTypes = await store.db
        .selectFrom('visit_type')
        .select(['id', 'name', 'minutes'])
        .orderBy('name')
        .execute();
      const requests = open.flatMap((r) => {
        const a = resources.get(r.appointment_id);
        if (!a) return [];
        return [
          {
            id: r.appointment_id,
            created: r.created_at,
            patient: { id: r.patient_id, name: a.participant[0]?.actor?.display ?? 'Patient' },
            reason: a.reasonCode?.[0]?.text ?? '',
            earliest: a.requestedPeriod?.[0]?.start ?? '',
            latest: a.requestedPeriod?.[0]?.end ?? '',
            preference: a.comment ?? '',
            ...sentByOf(a),
          },
        ];
      });
      // Each patient whose request was shown sees it in their own access log.
      const { account } = authOf(c);
      for (const r of requests) {
        await appendAudit(
          store.db,
          {
            actor: account.id,
            onBehalfOf: r.patient.id,
            action: 'staff.appointment-request.view',
            outcome: 'success',
            ip: clientIp(c),
            target: `Appointment/${r.id}`,
          },
          clock.now(),
        );
      }
      return c.json({ requests, visitTypes, timeZone: zone });
    })
    .get('/:id/slots', staff, slotsQuery, async (c) => {
      const request = await openRequest(pathId(c.req.param('id'), NO_REQUEST));
      await appendAudit(
        store.db,
        {
          actor: authOf(c).account.id,
          onBehalfOf: request.patientId,
          action: 'staff.appointment-request.times',
          outcome: 'success',
          ip: clientIp(c),
          target: `Appointment/${request.appointment.id}`,
        },
        clock.now(),
      );
      const { visitType } = c.req.valid('query');
      if (!/^[a-z0-9-]{1,40}$/.test(visitType)) throw new ApiError(400, 'invalid_query', 'Choose a visit type.');
      const period = request.appointment.requestedPeriod?.[0];
      const now = clock.now();
      const isDate = (day: string) => z.iso.date().safeParse(day).success;
      if (!period?.start || !period.end || !isDate(period.start) || !isDate(period.end)) {
        throw new ApiError(409, 'request_days', 'This request has no days the clinic can look in.');
      }
      const from = new Date(Math.max(zonedTimeToUtc(period.start, '00:00', zone).getTime(), now.getTime()));
      const to = zonedTimeToUtc(addDays(period.end, 1), '00:00', zone);
      return c.json({ slots: await openSlots(store.db, { visitTypeId: visitType, from, to }) });
    })
    .post('/:id/book', staff, jsonBody(bookBody), async (c) => {
      const { slotId } = c.req.valid('json');
      const { account } = authOf(c);
      const id = pathId(c.req.param('id'), NO_REQUEST);
      const booked = await withTransaction(store, async (trx) => {
        const now = clock.now();
        await lockAppointment(trx, store.dialect, id);
        const { appointment, patientId } = await openRequest(id, trx);
        const slot = await slotById(trx, slotId);
        assertBookable(slot, now, 'by-clinic');
        await holdSlot(trx, slot.slot_id, id, patientId, now);
        const visit = {
          ...appointmentResource({
            id,
            patientId,
            patientName: appointment.participant[0]?.actor?.display ?? 'Patient',
            slot,
            created: appointment.created ?? now.toISOString(),
            origin: config.publicOrigin,
          }),
          ...(appointment.reasonCode ? { reasonCode: appointment.reasonCode } : {}),
        };
        await putResources(trx, store.dialect, [visit as unknown as JsonObject], now);
        await planReminders(trx, id, patientId, slot.start_at, config.appointments.reminders, now);
        await closeRequest(trx, id, 'booked', account.id, now);
        await appendAudit(
          trx,
          {
            actor: account.id,
            onBehalfOf: patientId,
            action: 'staff.appointment-request.booked',
            outcome: 'success',
            ip: clientIp(c),
            target: `Appointment/${id}`,
          },
          now,
        );
        return { visit, patientId };
      });
      const news = { subject: 'Your appointment request: a time is booked', path: '/appointments' };
      await tellPatient(deps, booked.patientId, news, 'appointmentReminder');
      return c.json({ appointment: booked.visit });
    })
    .post('/:id/decline', staff, jsonBody(declineBody), async (c) => {
      const { reason } = c.req.valid('json');
      const { account } = authOf(c);
      const id = pathId(c.req.param('id'), NO_REQUEST);
      const declined = await withTransaction(store, async (trx) => {
        const now = clock.now();
        await lockAppointment(trx, store.dialect, id);
        const { appointment, patientId } = await openRequest(id, trx);
        const answer: Appointment = {
          ...appointment,
          status: 'cancelled',
          cancelationReason: { text: `Not booked by the clinic: ${reason}` },
        };
        await putResources(trx, store.dialect, [answer as unknown as JsonObject], now);
        await closeRequest(trx, id, 'declined', account.id, now);
        await appendAudit(
          trx,
          {
            actor: account.id,
            onBehalfOf: patientId,
            action: 'staff.appointment-request.declined',
            outcome: 'success',
            ip: clientIp(c),
            target: `Appointment/${id}`,
          },
          now,
        );
        return { answer, patientId };
      });
      await tellPatient(
        deps,
        declined.patientId,
        { subject: 'An answer to your appointment request', path: '/appointments' },
        'appointmentReminder',
      );
      return c.json({ appointment: declined.answer });
    });
}
