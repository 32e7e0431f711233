import { Hono } from 'hono';
import { sentByOf } from '../../common/on-behalf.js';
import { z } from 'zod';
import type { MedicationRequest, Patient, Task } from 'fhir/r4';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { ApiError } from '../errors.js';
import { jsonBody } from '../http/json-body.js';
import { requireRole } from '../http/require-role.js';
import { authOf, clientIp, requireSession } from '../http/require-session.js';
import { pathId } from '../http/ids.js';
import { tellPatient } from '../notify/patient-news.js';
import { getResource } from '../store/resource-reads.js';
import { patientDisplayName } from '../fhir/patient-name.js';
import { putResources } from '../store/resources.js';
import { withTransaction } from '../store/store.js';
import type { JsonObject } from '../fhir-json/references.js';

const decisionBody = z
  .object({
    decision: z.enum(['approve', 'deny', 'ready']),
    reason: z.string().trim().max(500, 'Reason: at most 500 characters.').optional(),
    /** On approval: the pharmacy the prescription goes to, confirmed (or corrected) by the clinician. */
    pharmacy: z.string().trim().max(200, 'Pharmacy: at most 200 characters.').optional(),
  })
  .strict()
  .refine((b) => b.decision !== 'deny' || (b.reason?.length ?? 0) > 0, {
    message: 'Say why the request is denied: the patient sees the reason.',
    path: ['reason'],
  })
  .refine((b) => b.decision !== 'approve' || (b.pharmacy?.length ?? 0) > 0, {
    message: 'Confirm the pharmacy the prescription goes to.',
    path: ['pharmacy'],
  });

const TO_DO = ['requested', 'received', 'accepted', 'in-progress'];

const NEXT: Record<string, { from: string[]; to: Task['status'] }> = {
  approve: { from: ['requested', 'received'], to: 'accepted' },
  deny: { from: ['requested', 'received', 'accepted'], to: 'rejected' },
  ready: { from: ['accepted', 'in-progress'], to: 'ready' },
};

/**
 * `/api/staff/refills` ([6/8], care team): the refill queue (open requests, oldest first) and decisions on them:
 * approve (the pharmacy confirmed by the clinician), deny with a reason, mark ready. Clinicians and administrators only; every
 * view of the queue and every decision is audited for the patient concerned; the patient's record (the Task)
 * changes, so the patient sees the decision at their next sync, and is emailed if they chose mail for news
 * (no clinical detail in the mail).
 */
export function staffRefillRoutes(deps: AppDeps) {
  const { store, clock } = deps;
  return new Hono<AppEnv>()
    .use(requireSession(deps), requireRole(deps, 'clinician', 'admin'))
    .get('/', async (c) => {
      const { account } = authOf(c);
      const rows = await store.db
        .selectFrom('fhir_resource')
        .select(['id', 'content'])
        .where('resource_type', '=', 'Task')
        .execute();
      // What still needs the care team: not yet decided, or approved and being prepared (ready ones wait for pickup).
      const open = rows
        .map((r) => JSON.parse(r.content) as Task)
        .filter((t) => TO_DO.includes(t.status) && t.focus?.reference?.startsWith('MedicationRequest/'));
      open.sort((a, b) => String(a.authoredOn).localeCompare(String(b.authoredOn)));
      const now = clock.now();
      const items = [];
      for (const task of open) {
        const patientId = task.for?.reference?.replace(/^Patient\//, '') ?? '';
        const med = (
          await getResource(store.db, 'MedicationRequest', task.focus!.reference!.slice('MedicationRequest/'.length))
        )?.resource as MedicationRequest | undefined;
        const patient = (await getResource(store.db, 'Patient', patientId))?.resource as Patient | undefined;
        items.push({
          id: task.id,
          status: task.status,
          kind: task.code?.text ?? 'Prescription request',
          requestedAt: task.authoredOn,
          patient: { id: patientId, name: patientDisplayName(patient, 'Unnamed patient') },
          medicationRequestId: med?.id ?? null,
          medication:
            med?.medicationCodeableConcept?.text ??
            med?.medicationCodeableConcept?.coding?.[0]?.display ??
            'Medication',
          pharmacy: task.input?.find((i) => i.type?.text === 'Pharmacy')?.valueString ?? null,
          note: task.note?.[0]?.text ?? null,
          ...sentByOf(task),
        });
        await appendAudit(
          store.db,
          {
            actor: account.id,
            onBehalfOf: patientId,
            action: 'staff.refill.view',
            outcome: 'success',
            ip: clientIp(c),
            target: `Task/${task.id}`,
          },
          now,
        );
      }
      return c.json({ requests: items });
    })
    .post('/:id/decision', jsonBody(decisionBody), async (c) => {
      const body = c.req.valid('json');
      const { account } = authOf(c);
      const now = clock.now();
      const id = pathId(c.req.param('id'), 'There is no refill request with that id.');
      const rule = NEXT[body.decision]!;
      const { task, patientId } = await withTransaction(store, async (trx) => {
        const found = await getResource(trx, 'Task', id);
        const task = found?.resource as unknown as Task | undefined;
        if (!task || !task.focus?.reference?.startsWith('MedicationRequest/'))
          throw new ApiError(404, 'not_found', 'There is no refill request with that id.');
        if (!rule.from.includes(task.status))
          throw new ApiError(
            409,
            'wrong_state',
            `This request is ${task.status}: it cannot be ${body.decision === 'approve' ? 'approved' : body.decision === 'deny' ? 'denied' : 'marked ready'} now.`,
          );
        const patientId = task.for?.reference?.replace(/^Patient\//, '') ?? '';
        const updated: Task = {
          ...task,
          status: rule.to,
          lastModified: now.toISOString(),
          owner: { display: account.display_name },
          ...(body.reason ? { statusReason: { text: body.reason } } : {}),
          ...(body.decision === 'approve'
            ? { output: [{ type: { text: 'Pharmacy confirmed' }, valueString: body.pharmacy! }] }
            : {}),
        };
        await putResources(trx, store.dialect, [updated as unknown as JsonObject], now);
        await appendAudit(
          trx,
          {
            actor: account.id,
            onBehalfOf: patientId,
            action: `staff.refill.${body.decision}`,
            outcome: 'success',
            ip: clientIp(c),
            target: `Task/${id}`,
          },
          now,
        );
        return { task: updated, patientId };
      });
      await tellPatient(deps, patientId, { subject: 'News about a request you made', path: '/refills' });
      return c.json({ task });
    });
}
