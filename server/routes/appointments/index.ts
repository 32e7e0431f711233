import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Appointment, Patient } from 'fhir/r4';
import type { AppDeps, AppEnv } from '../../deps.js';
import { appendAudit } from '../../audit/log.js';
import { ApiError } from '../../errors.js';
import { idempotent, requireIdempotencyKey } from '../../http/idempotency.js';
import { jsonBody } from '../../http/json-body.js';
import { authOf, clientIp, requireSession } from '../../http/require-session.js';
import { auditRefusal, requirePatientAccess, type PatientAccess } from '../../http/patient-access.js';
import { withOnBehalfOf } from '../../../common/on-behalf.js';
import { fhirId, pathId } from '../../http/ids.js';
import {
  appointmentFor,
  lockAppointment,
  appointmentResource,
  assertBookable,
  cancelAppointment,
  cancelReminders,
  cutoffText,
  holdSlot,
  planReminders,
  slotById,
  visitTypeOf,
  onlineRulesOf,
} from '../../appointments/appointments.js';
import { patientDisplayName } from '../../fhir/patient-name.js';
import { getResource } from '../../store/resource-reads.js';
import { putResources } from '../../store/resources.js';
import { withTransaction } from '../../store/store.js';
import type { JsonObject } from '../../fhir-json/references.js';
import { closeRequest, requestDaysProblem, requestInput, requestResource } from '../../appointments/requests.js';
import { zonedDate } from '../../appointments/clinic-time.js';
import { appointmentTimeRoutes } from './times.js';

const id = fhirId();
const bookBody = z.object({ patientId: id, slotId: id }).strict();
const moveBody = z.object({ slotId: id }).strict();
const cancelBody = z
  .object({ reason: z.string().trim().max(300, 'Reason: at most 300 characters.').optional() })
  .strict();
const NOT_YOURS = 'There is no appointment here that you may change.';

/**
 * Appointments, patient side ([7/8]). Reading is through the record (Appointment resources sync like the rest);
 * these need a connection:
 * - `GET /options`, `GET /slots` (times.ts): visit types patients may book themselves, and the schedules (clinicians, departments) offering them.
 * - `GET /slots?visitType=&schedule=&from=&days=`: free times, soonest first, none sooner than the cut-off
 *   (CANCEL_CUTOFF_HOURS: what could not be cancelled online is not booked online either; /clinic.json says it).
 * - `POST /` (Idempotency-Key) `{patientId, slotId}`: books; a taken slot is a 409 (the database decides), one
 *   sooner than the cut-off a 409 that says to call.
 * - `POST /:id/reschedule` (Idempotency-Key) `{slotId}`: moves in one transaction: the new slot is held first, the
 *   old one released only then, so a failure leaves the old booking as it was. A move keeps the kind of visit: a
 *   slot of another visit type is a 422.
 * - `POST /:id/cancel` `{reason?}`: until the cut-off before the visit (CANCEL_CUTOFF_HOURS).
 * - `POST /requests` (Idempotency-Key) `{patientId, reason, earliest, latest, timeOfDay}`: asks the clinic for a
 *   visit without choosing a time ([8/8]: it can be written offline and sent from the outbox). It becomes a
 *   `proposed` Appointment in the record and an entry in the care team's queue, who book a time or decline.
 * Each decides through the caregiver grants (scope `appointments`, http/patient-access.ts); by id, the
 * appointment's patient is found first. What a caregiver books, asks, moves or cancels names them (on-behalf).
 */
export function appointmentRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const online = onlineRulesOf(config);
  const tooLate = (a: Appointment, now: Date) => Date.parse(a.start ?? '') - now.getTime() < online.cutoffMs;
  const tooLateMessage = () =>
    `It is less than ${cutoffText(online.cutoffMs)} before the visit, so it can no longer be changed online. Please call ${online.phone}.`;

  /** A caregiver's booking, request, move or cancellation names them (common/on-behalf.ts). */
  const named = <T extends Appointment>(access: PatientAccess, a: T): T =>
    access.onBehalf ? withOnBehalfOf(a, config.publicOrigin, access.onBehalf) : a;

  /** The appointment `id` and whose it is, if the signed-in account may change that person's appointments. */
  const ownAppointment = async (c: Context<AppEnv>, id: string) => {
    const found = await appointmentFor(store.db, id, 'any');
    if (!found) {
      await auditRefusal(c, deps, { action: 'appointment.access-denied', target: `Appointment/${id}` });
      throw new ApiError(404, 'not_found', NOT_YOURS);
    }
    const access = await requirePatientAccess(c, deps, {
      patientId: found.patientId,
      scope: 'appointments',
      deniedAction: 'appointment.access-denied',
      target: `Appointment/${id}`,
      notFound: NOT_YOURS,
    });
    return { found, access };
  };

  return new Hono<AppEnv>()
    .use(requireSession(deps))
    .route('/', appointmentTimeRoutes(deps))
    .post('/', requireIdempotencyKey(deps), jsonBody(bookBody), async (c) => {
      const body = c.req.valid('json');
      const { account } = authOf(c);
      const access = await requirePatientAccess(c, deps, {
        patientId: body.patientId,
        scope: 'appointments',
        deniedAction: 'appointment.access-denied',
        notFound: 'There is no record here that you may book for.',
      });
      const patient = (await getResource(store.db, 'Patient', body.patientId))?.resource as unknown as
        Patient | undefined;
      return idempotent(c, deps, async (trx) => {
        const now = clock.now();
        const slot = await slotById(trx, body.slotId);
        assertBookable(slot, now, online);
        const appointmentId = randomUUID();
        await holdSlot(trx, slot.slot_id, appointmentId, body.patientId, now);
        const appointment = named(
          access,
          appointmentResource({
            id: appointmentId,
            patientId: body.patientId,
            patientName: patientDisplayName(patient, account.display_name),
            slot,
            created: now.toISOString(),
            origin: config.publicOrigin,
          }),
        );
        await putResources(trx, store.dialect, [appointment as unknown as JsonObject], now);
        await planReminders(trx, appointmentId, body.patientId, slot.start_at, config.appointments.reminders, now);
        await appendAudit(
          trx,
          {
            actor: account.id,
            onBehalfOf: body.patientId,
            action: 'appointment.booked',
            outcome: 'success',
            ip: clientIp(c),
            target: `Appointment/${appointmentId}`,
          },
          now,
        );
        return { status: 201, body: { appointment } };
      });
    })
    .post('/requests', requireIdempotencyKey(deps), jsonBody(requestInput), async (c) => {
      const body = c.req.valid('json');
      const { account } = authOf(c);
      const access = await requirePatientAccess(c, deps, {
        patientId: body.patientId,
        scope: 'appointments',
        deniedAction: 'appointment.access-denied',
        notFound: 'There is no record here that you may ask for an appointment for.',
      });
      const problem = requestDaysProblem(body, zonedDate(clock.now(), config.clinic.timeZone));
      if (problem) throw new ApiError(422, 'request_days', problem);
      const patient = (await getResource(store.db, 'Patient', body.patientId))?.resource as unknown as
        Patient | undefined;
      return idempotent(c, deps, async (trx) => {
        const now = clock.now();
        const appointment = named(
          access,
          requestResource({
            id: randomUUID(),
            request: body,
            patientName: patientDisplayName(patient, account.display_name),
            created: now.toISOString(),
          }),
        );
        await putResources(trx, store.dialect, [appointment as unknown as JsonObject], now);
        await trx
          .insertInto('appointment_request')
          .values({
            appointment_id: appointment.id!,
            patient_id: body.patientId,
            state: 'open',
            created_at: now.toISOString(),
            handled_at: null,
            handled_by: null,
          })
          .execute();
        await appendAudit(
          trx,
          {
            actor: account.id,
            onBehalfOf: body.patientId,
            action: 'appointment.requested',
            outcome: 'success',
            ip: clientIp(c),
            target: `Appointment/${appointment.id}`,
          },
          now,
        );
        return { status: 201, body: { appointment } };
      });
    })
    .post('/:id/reschedule', requireIdempotencyKey(deps), jsonBody(moveBody), async (c) => {
      const body = c.req.valid('json');
      const { account } = authOf(c);
      const { found, access } = await ownAppointment(c, pathId(c.req.param('id'), NOT_YOURS));
      return idempotent(c, deps, async (trx) => {
        const now = clock.now();
        await lockAppointment(trx, store.dialect, found.appointment.id!);
        const { appointment: current, patientId } = (await appointmentFor(trx, found.appointment.id!, [
          found.patientId,
        ]))!;
        if (current.status !== 'booked')
          throw new ApiError(409, 'not_booked', `This appointment is ${current.status}; it cannot be moved.`);
        if (tooLate(current, now)) throw new ApiError(409, 'too_late', tooLateMessage());
        const slot = await slotById(trx, body.slotId);
        assertBookable(slot, now, online);
        const kind = visitTypeOf(current, config.publicOrigin);
        if (kind && slot.visit_type_id !== kind)
          throw new ApiError(
            422,
            'other_visit_type',
            `A move keeps the kind of visit (${current.appointmentType?.text ?? kind}); that time is for a “${slot.visit_type_name}”. Please choose a time for the same kind of visit.`,
          );
        if ((current.slot ?? []).some((r) => r.reference === `Slot/${slot.slot_id}`))
          throw new ApiError(409, 'same_slot', 'That is the time you already have.');
        // The new time is held first; only then is the old one let go. A taken slot ends here, nothing changed.
        await holdSlot(trx, slot.slot_id, current.id!, patientId, now);
        await trx
          .deleteFrom('slot_booking')
          .where('appointment_id', '=', current.id!)
          .where('slot_id', '!=', slot.slot_id)
          .execute();
        const patientName = current.participant?.[0]?.actor?.display ?? account.display_name;
        const moved = named(
          access,
          appointmentResource({
            id: current.id!,
            patientId,
            patientName,
            slot,
            created: current.created ?? now.toISOString(),
            origin: config.publicOrigin,
          }),
        );
        await putResources(trx, store.dialect, [moved as unknown as JsonObject], now);
        await cancelReminders(trx, current.id!);
        await planReminders(trx, current.id!, patientId, slot.start_at, config.appointments.reminders, now);
        await appendAudit(
          trx,
          {
            actor: account.id,
            onBehalfOf: patientId,
            action: 'appointment.rescheduled',
            outcome: 'success',
            ip: clientIp(c),
            target: `Appointment/${current.id}`,
            detail: `from ${current.start} to ${slot.start_at}`,
          },
          now,
        );
        return { status: 200, body: { appointment: moved } };
      });
    })
    .post('/:id/cancel', jsonBody(cancelBody), async (c) => {
      const body = c.req.valid('json');
      const { account } = authOf(c);
      const { found, access } = await ownAppointment(c, pathId(c.req.param('id'), NOT_YOURS));
      const appointment = await withTransaction(store, async (trx) => {
        const now = clock.now();
        await lockAppointment(trx, store.dialect, found.appointment.id!);
        const { appointment: current, patientId } = (await appointmentFor(trx, found.appointment.id!, [
          found.patientId,
        ]))!;
        if (current.status === 'cancelled') return current; // already done: the same answer again
        if (current.status === 'proposed') {
          // A request not yet answered: withdrawn, and out of the care team's queue.
          const withdrawn: Appointment = named(access, {
            ...current,
            status: 'cancelled',
            cancelationReason: {
              text: access.onBehalf ? `Withdrawn by ${access.onBehalf.name}` : 'Withdrawn by the patient',
            },
          });
          await putResources(trx, store.dialect, [withdrawn as unknown as JsonObject], now);
          await closeRequest(trx, current.id!, 'withdrawn', account.id, now);
          await appendAudit(
            trx,
            {
              actor: account.id,
              onBehalfOf: patientId,
              action: 'appointment.request-withdrawn',
              outcome: 'success',
              ip: clientIp(c),
              target: `Appointment/${current.id}`,
            },
            now,
          );
          return withdrawn;
        }
        if (current.status !== 'booked')
          throw new ApiError(409, 'not_booked', `This appointment is ${current.status}; it cannot be cancelled.`);
        if (tooLate(current, now)) throw new ApiError(409, 'too_late', tooLateMessage());
        const cancelled = await cancelAppointment(
          trx,
          store.dialect,
          named(access, current),
          body.reason || (access.onBehalf ? `Cancelled by ${access.onBehalf.name}` : 'Cancelled by the patient'),
          now,
        );
        await appendAudit(
          trx,
          {
            actor: account.id,
            onBehalfOf: patientId,
            action: 'appointment.cancelled',
            outcome: 'success',
            ip: clientIp(c),
            target: `Appointment/${current.id}`,
          },
          now,
        );
        return cancelled;
      });
      return c.json({ appointment });
    });
}
