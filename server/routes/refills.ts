import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { MedicationRequest, Task } from 'fhir/r4';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { ApiError } from '../errors.js';
import { idempotent, requireIdempotencyKey } from '../http/idempotency.js';
import { jsonBody } from '../http/json-body.js';
import { authOf, clientIp, requireSession } from '../http/require-session.js';
import { requirePatientAccess } from '../http/patient-access.js';
import { withOnBehalfOf, type OnBehalf } from '../../common/on-behalf.js';
import { fhirId } from '../http/ids.js';
import { getResource, readCompartmentType } from '../store/resource-reads.js';
import { putResources } from '../store/resources.js';
import type { JsonObject } from '../fhir-json/references.js';

const refillBody = z
  .object({
    medicationRequestId: fhirId('Choose the prescription.'),
    pharmacy: z
      .string()
      .trim()
      .min(1, 'Name the pharmacy that should fill it.')
      .max(200, 'Pharmacy: at most 200 characters.'),
    note: z.string().trim().max(1000, 'Note: at most 1,000 characters.').optional(),
  })
  .strict();

/** Task statuses of a refill request that is still open (requested → accepted → in progress → ready). */
export const OPEN_TASK = ['draft', 'requested', 'received', 'accepted', 'in-progress', 'ready', 'on-hold'];
const NOT_FOUND = 'There is no prescription here that you may ask to refill.';

export function refillTask(input: {
  id: string;
  patientId: string;
  prescription: MedicationRequest;
  pharmacy: string;
  note?: string;
  requester: string;
  /** A caregiver asking for the patient: the requester is then they (a display-only RelatedPerson), and named. */
  onBehalf?: { by: OnBehalf; origin: string };
  now: Date;
}): Task {
  const renewal = input.prescription.dispenseRequest?.numberOfRepeatsAllowed === 0;
  const task: Task = {
    resourceType: 'Task',
    id: input.id,
    status: 'requested',
    intent: 'order',
    code: {
      coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }],
      text: renewal ? 'Prescription renewal request' : 'Prescription refill request',
    },
    focus: { reference: `MedicationRequest/${input.prescription.id}` },
    for: { reference: `Patient/${input.patientId}` },
    authoredOn: input.now.toISOString(),
    lastModified: input.now.toISOString(),
    requester: input.onBehalf
      ? { type: 'RelatedPerson', display: input.onBehalf.by.name }
      : { display: input.requester },
    input: [{ type: { text: 'Pharmacy' }, valueString: input.pharmacy }],
    ...(input.note ? { note: [{ text: input.note, time: input.now.toISOString() }] } : {}),
  };
  return input.onBehalf ? withOnBehalfOf(task, input.onBehalf.origin, input.onBehalf.by) : task;
}

/**
 * `POST /api/refills` ([6/8], first part): a patient asks for a refill (or a renewal, when none are left) of an
 * active prescription in their record, through the outbox: `Idempotency-Key` required, carried out exactly once.
 * Stored as a FHIR Task pointing at the MedicationRequest, so it syncs and exports with the record. A second
 * request while one is open, a stopped prescription, or someone else's prescription is refused with a reason and
 * nothing is stored (someone else's: the same 404 as a missing one, audited). A caregiver with the `refills` scope
 * may ask for the patient: the Task's requester is then they (a RelatedPerson by name), with the on-behalf
 * extension (common/on-behalf.ts); a caregiver without it gets 403 missing_scope.
 */
export function refillRoutes(deps: AppDeps) {
  const { store, clock } = deps;
  return new Hono<AppEnv>().post(
    '/',
    requireSession(deps),
    requireIdempotencyKey(deps),
    jsonBody(refillBody),
    async (c) => {
      const body = c.req.valid('json');
      const { account } = authOf(c);
      const now = clock.now();
      const ip = clientIp(c);
      // Whose prescription it is, checked (and a refusal audited) before any transaction is opened.
      const owner = (
        (await getResource(store.db, 'MedicationRequest', body.medicationRequestId))?.resource as
          MedicationRequest | undefined
      )?.subject?.reference?.replace(/^Patient\//, '');
      if (!owner) {
        await appendAudit(
          store.db,
          {
            actor: account.id,
            action: 'refill.access-denied',
            outcome: 'denied',
            ip,
            target: `MedicationRequest/${body.medicationRequestId}`.slice(0, 200),
          },
          now,
        );
        throw new ApiError(404, 'not_found', NOT_FOUND);
      }
      const access = await requirePatientAccess(c, deps, {
        patientId: owner,
        scope: 'refills',
        deniedAction: 'refill.access-denied',
        target: `MedicationRequest/${body.medicationRequestId}`,
        notFound: NOT_FOUND,
      });
      const patientId = owner;
      return idempotent(c, deps, async (trx) => {
        // Read again inside the transaction: its status is the one the decision is made on.
        const prescription = (await getResource(trx, 'MedicationRequest', body.medicationRequestId))!
          .resource as unknown as MedicationRequest;
        if (prescription.status !== 'active') {
          throw new ApiError(
            409,
            'prescription_not_active',
            `This prescription is ${prescription.status}, so it cannot be refilled. Please send your care team a message if you still need it.`,
          );
        }
        // One writer per patient at a time (the patient's change counter row is the lock), so two requests for the
        // same prescription cannot both see "none open".
        await trx
          .updateTable('fhir_patient_seq')
          .set((eb) => ({ seq: eb('seq', '+', 0) }))
          .where('patient_id', '=', patientId)
          .execute();
        const open = (await readCompartmentType(trx, patientId, 'Task'))
          .map((t) => t.resource as unknown as Task)
          .find((t) => t.focus?.reference === `MedicationRequest/${prescription.id}` && OPEN_TASK.includes(t.status));
        if (open) {
          throw new ApiError(
            409,
            'refill_open',
            `You already asked for this on ${open.authoredOn?.slice(0, 10) ?? 'an earlier day'}, and that request is still open (${open.status}). You will be told when it is decided.`,
          );
        }
        const task = refillTask({
          id: randomUUID(),
          patientId,
          prescription,
          pharmacy: body.pharmacy,
          ...(body.note ? { note: body.note } : {}),
          requester: account.display_name,
          ...(access.onBehalf ? { onBehalf: { by: access.onBehalf, origin: deps.config.publicOrigin } } : {}),
          now,
        });
        await putResources(trx, store.dialect, [task as unknown as JsonObject], now);
        await appendAudit(
          trx,
          {
            actor: account.id,
            onBehalfOf: patientId,
            action: 'refill.requested',
            outcome: 'success',
            ip,
            target: `Task/${task.id}`,
          },
          now,
        );
        return { status: 201, body: { task } };
      });
    },
  );
}
