import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { ApiError } from '../errors.js';
import { idempotent, requireIdempotencyKey } from '../http/idempotency.js';
import { jsonBody } from '../http/json-body.js';
import { authOf, clientIp, requireSession } from '../http/require-session.js';
import { requirePatientAccess } from '../http/patient-access.js';
import { patientName } from '../caregivers/grants.js';
import { withOnBehalfOf } from '../../common/on-behalf.js';
import { FHIR_ID, fhirId, pathId } from '../http/ids.js';
import { checkAttachment, type CheckedAttachment } from '../messages/attachments.js';
import { attachmentInput, messageText } from '../messages/message-input.js';
import {
  ATTACHMENTS_MAX,
  attachmentBinary,
  fromPatient,
  messageCommunication,
  recipientsFor,
  SUBJECT_MAX_CHARS,
  threadOf,
} from '../messages/messages.js';
import { readCompartmentType } from '../store/resource-reads.js';
import { putResources } from '../store/resources.js';
import { withTransaction } from '../store/store.js';
import type { Communication } from 'fhir/r4';
import type { JsonObject } from '../fhir-json/references.js';

const messageBody = z
  .object({
    patientId: fhirId('patientId: not a record id'),
    /** A reply: the conversation's id. A new conversation: recipient and subject. */
    thread: fhirId('thread: not a conversation id').optional(),
    recipient: z.string().trim().min(1).max(100).optional(),
    subject: z
      .string()
      .trim()
      .max(SUBJECT_MAX_CHARS, `The subject is longer than ${SUBJECT_MAX_CHARS} characters.`)
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'The subject may not hold control characters.')
      .optional(),
    body: messageText,
    attachments: z
      .array(attachmentInput)
      .max(ATTACHMENTS_MAX, `At most ${ATTACHMENTS_MAX} attachments per message.`)
      .default([]),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.thread) return;
    if (!b.recipient) ctx.addIssue({ code: 'custom', path: ['recipient'], message: 'Choose who the message is for.' });
    if (!b.subject) ctx.addIssue({ code: 'custom', path: ['subject'], message: 'Give the message a subject.' });
  });

const NOT_YOURS = 'There is no conversation here that you may reply to.';
const NOT_YOURS_TO_READ = 'There is no conversation here that you may read.';
const NOT_YOURS_TO_WRITE = 'There is no record here that you may write about.';

/** Marking a conversation read: up to which message the patient has seen it (the last one shown to them). */
const readBody = z
  .object({
    upTo: z
      .string({ error: 'upTo: say up to which message the conversation was read (its id).' })
      .trim()
      .regex(FHIR_ID, 'upTo: not a message id'),
  })
  .strict();

/**
 * Secure messages, patient side ([6/8]):
 * - `GET /recipients?patient=`: who this patient may write to (departments, care teams, clinicians of their visits).
 * - `POST /` (Idempotency-Key, through the outbox): a new conversation (recipient, subject, text) or a reply in one
 *   (thread), with up to three pictures or PDFs checked by content. Stored as a FHIR Communication (attachments as
 *   Binary) in the patient's record, so it syncs back as sent; the care team's inbox row is updated in the same
 *   transaction. Someone else's record or conversation: 404 with nothing stored, audited.
 * - `POST /threads/:id/read` `{ upTo }` (through the outbox): the patient opened the conversation and saw it up to
 *   the message `upTo`. Each reply from the care team sent until then that was unread gets `received` (FHIR R4
 *   Communication.received: when it reached its recipient, here the patient's eyes) set to now, so the read state
 *   reaches the patient's other devices through the record feed like any change. Idempotent by nature: a repeat
 *   (a retry, a second device) finds nothing left to mark, changes nothing and answers `read: 0`. Someone else's
 *   conversation: 404, audited; `upTo` not in this conversation: 400.
 * Messages are read through the record feed like every other resource. Every route decides through the caregiver
 * grants (scope `messages`, http/patient-access.ts): a caregiver writes in the patient's conversation (the sender
 * stays the patient) and is named on the message (common/on-behalf.ts); without the scope, 403 missing_scope.
 */
export function messageRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const denied = async (accountId: string, ip: string | null, target: string) =>
    appendAudit(
      store.db,
      { actor: accountId, action: 'message.access-denied', outcome: 'denied', ip, target: target.slice(0, 200) },
      clock.now(),
    );

  return new Hono<AppEnv>()
    .get('/recipients', requireSession(deps), async (c) => {
      const patientId = c.req.query('patient') ?? '';
      await requirePatientAccess(c, deps, {
        patientId,
        scope: 'messages',
        deniedAction: 'message.access-denied',
        notFound: NOT_YOURS_TO_WRITE,
      });
      return c.json({ recipients: await recipientsFor(store.db, config.clinic, patientId) });
    })
    .post('/', requireSession(deps), requireIdempotencyKey(deps), jsonBody(messageBody), async (c) => {
      const body = c.req.valid('json');
      const { account } = authOf(c);
      const ip = clientIp(c);
      const access = await requirePatientAccess(c, deps, {
        patientId: body.patientId,
        scope: 'messages',
        deniedAction: 'message.access-denied',
        notFound: NOT_YOURS_TO_WRITE,
      });
      // A caregiver writes in the patient's conversation (the sender stays the patient) and is named on it.
      const senderName = access.onBehalf ? await patientName(store.db, body.patientId) : account.display_name;
      let team: { key: string; name: string };
      let subject: string;
      if (body.thread) {
        const thread = await store.db
          .selectFrom('message_thread')
          .selectAll()
          .where('id', '=', body.thread)
          .executeTakeFirst();
        if (!thread || thread.patient_id !== body.patientId) {
          await denied(account.id, ip, `Communication/${body.thread}`);
          throw new ApiError(404, 'not_found', NOT_YOURS);
        }
        team = { key: thread.team_key, name: thread.team_name };
        subject = thread.subject;
      } else {
        const found = (await recipientsFor(store.db, config.clinic, body.patientId)).find(
          (r) => r.key === body.recipient,
        );
        if (!found)
          throw new ApiError(
            400,
            'recipient_unknown',
            'That recipient is not one you can write to here. Please choose from the list.',
          );
        team = found;
        subject = body.subject!;
      }
      // Content checks before any transaction: a refused file stores nothing.
      const files: { binaryId: string; file: CheckedAttachment }[] = [];
      for (const a of body.attachments)
        files.push({ binaryId: randomUUID(), file: await checkAttachment(a.name, a.data) });

      return idempotent(c, deps, async (trx) => {
        const now = clock.now();
        const id = randomUUID();
        const written = messageCommunication({
          id,
          patientId: body.patientId,
          from: { patient: true, display: senderName },
          ...(body.thread ? { threadId: body.thread } : {}),
          team,
          subject,
          text: body.body,
          attachments: files,
          documents: [],
          origin: config.publicOrigin,
          now,
        });
        const message = access.onBehalf ? withOnBehalfOf(written, config.publicOrigin, access.onBehalf) : written;
        const binaries = files.map((f) => attachmentBinary(f.binaryId, body.patientId, f.file));
        await putResources(trx, store.dialect, [...binaries, message] as unknown as JsonObject[], now);
        const at = now.toISOString();
        if (body.thread) {
          // A new word from the patient: the conversation needs the care team again.
          await trx
            .updateTable('message_thread')
            .set({ last_message_at: at, last_from: 'patient', handled_at: null, handled_by: null })
            .where('id', '=', body.thread)
            .execute();
        } else {
          await trx
            .insertInto('message_thread')
            .values({
              id,
              patient_id: body.patientId,
              team_key: team.key,
              team_name: team.name,
              subject,
              created_at: at,
              last_message_at: at,
              last_from: 'patient',
              staff_read_at: null,
              handled_at: null,
              handled_by: null,
            })
            .execute();
        }
        await appendAudit(
          trx,
          {
            actor: account.id,
            onBehalfOf: body.patientId,
            action: 'message.sent',
            outcome: 'success',
            ip,
            target: `Communication/${id}`,
            detail: `${files.length} attachment(s)${access.onBehalf ? `; as ${access.as}` : ''}`,
          },
          now,
        );
        return { status: 201, body: { message, thread: body.thread ?? id } };
      });
    })
    .post('/threads/:id/read', requireSession(deps), jsonBody(readBody), async (c) => {
      const { upTo } = c.req.valid('json');
      const { account } = authOf(c);
      const id = pathId(c.req.param('id'), NOT_YOURS_TO_READ);
      const thread = await store.db.selectFrom('message_thread').selectAll().where('id', '=', id).executeTakeFirst();
      if (!thread) {
        await denied(account.id, clientIp(c), `Communication/${id}`);
        throw new ApiError(404, 'not_found', NOT_YOURS_TO_READ);
      }
      await requirePatientAccess(c, deps, {
        patientId: thread.patient_id,
        scope: 'messages',
        deniedAction: 'message.access-denied',
        target: `Communication/${id}`,
        notFound: NOT_YOURS_TO_READ,
      });
      const read = await withTransaction(store, async (trx) => {
        const messages = (await readCompartmentType(trx, thread.patient_id, 'Communication'))
          .map((r) => r.resource as unknown as Communication)
          .filter((m) => threadOf(m) === thread.id);
        const last = messages.find((m) => m.id === upTo);
        if (!last) return undefined;
        // Only what the patient could have seen: a reply that arrived after `upTo` stays unread.
        const seen = messages.filter(
          (m) => !fromPatient(m) && !m.received && String(m.sent ?? '') <= String(last.sent ?? ''),
        );
        if (!seen.length) return 0;
        const now = clock.now();
        const marked = seen.map((m) => ({ ...m, received: now.toISOString() }));
        await putResources(trx, store.dialect, marked as unknown as JsonObject[], now);
        await appendAudit(
          trx,
          {
            actor: account.id,
            onBehalfOf: thread.patient_id,
            action: 'message.read',
            outcome: 'success',
            ip: clientIp(c),
            target: `Communication/${thread.id}`,
            detail: `${seen.length} repl${seen.length === 1 ? 'y' : 'ies'}`,
          },
          now,
        );
        return seen.length;
      });
      if (read === undefined)
        throw new ApiError(400, 'not_in_thread', 'upTo: that message is not part of this conversation.');
      return c.json({ thread: thread.id, upTo, read });
    });
}
