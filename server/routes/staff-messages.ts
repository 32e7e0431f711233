import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { sentByOf } from '../../common/on-behalf.js';
import { z } from 'zod';
import type { Binary, Communication, Patient } from 'fhir/r4';
import type { AppDeps, AppEnv } from '../deps.js';
import type { AuditAction } from '../../common/audit-actions.js';
import { appendAudit } from '../audit/log.js';
import { ApiError } from '../errors.js';
import { idempotent, requireIdempotencyKey } from '../http/idempotency.js';
import { jsonBody } from '../http/json-body.js';
import { requireRole } from '../http/require-role.js';
import { authOf, clientIp, requireSession } from '../http/require-session.js';
import { pathId } from '../http/ids.js';
import { checkAttachment } from '../messages/attachments.js';
import { attachmentInput, messageText } from '../messages/message-input.js';
import { attachmentBinary, messageCommunication, sharedDocument, threadOf } from '../messages/messages.js';
import { tellPatient } from '../notify/patient-news.js';
import { patientDisplayName } from '../fhir/patient-name.js';
import { getResource, getResources, readCompartmentType } from '../store/resource-reads.js';
import { putResources } from '../store/resources.js';
import { withTransaction } from '../store/store.js';
import type { Db } from '../auth/sessions.js';
import type { JsonObject } from '../fhir-json/references.js';

const replyBody = z
  .object({
    body: messageText,
    /** A document to share: it becomes a DocumentReference in the patient's record. */
    document: attachmentInput
      .extend({
        title: z
          .string()
          .trim()
          .min(1, 'Give the document a title the patient will understand.')
          .max(120, 'A document title may be at most 120 characters.'),
      })
      .optional(),
  })
  .strict();

/** `lastMessageAt`: the last message the staff member saw; a newer one from the patient must be read first. */
const handledBody = z.object({ handled: z.boolean(), lastMessageAt: z.string().max(40) }).strict();

const NO_THREAD = 'There is no conversation with that id.';

/**
 * The care team's message inbox ([6/8]), for clinicians and administrators (signed in with a passkey):
 * - `GET /`: conversations, grouped by team in the page; those not yet handled first, unread and unanswered
 *   before the rest, then the most recent. Each listed conversation is audited as viewed.
 * - `GET /:id`: one conversation with its messages (marks it read for staff); audited.
 * - `GET /:id/files/:binaryId`: an attachment of that conversation, as a download; audited.
 * - `POST /:id/reply` (Idempotency-Key): a reply, optionally sharing a document (a DocumentReference in the
 *   patient's record, with its Binary); the patient is told by their chosen channels, without clinical content.
 * - `POST /:id/handled`: mark handled (or not).
 */
export function staffMessageRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const audit = (
    c: Parameters<typeof authOf>[0],
    action: AuditAction,
    patientId: string | null,
    target: string,
    outcome: 'success' | 'denied' = 'success',
    detail?: string,
    db: Db = store.db,
  ) =>
    appendAudit(
      db,
      {
        actor: authOf(c).account.id,
        onBehalfOf: patientId,
        action,
        outcome,
        ip: clientIp(c),
        target,
        ...(detail ? { detail } : {}),
      },
      clock.now(),
    );
  const threadRow = async (raw: string) => {
    const id = pathId(raw, NO_THREAD);
    const row = await store.db.selectFrom('message_thread').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new ApiError(404, 'not_found', NO_THREAD);
    return row;
  };

  return new Hono<AppEnv>()
    .use(requireSession(deps), requireRole(deps, 'clinician', 'admin'))
    .get('/', async (c) => {
      // Everything still to handle (however old), then the most recently handled.
      const open = await store.db
        .selectFrom('message_thread')
        .selectAll()
        .where('handled_at', 'is', null)
        .orderBy('last_message_at', 'desc')
        .limit(1000)
        .execute();
      const done = await store.db
        .selectFrom('message_thread')
        .selectAll()
        .where('handled_at', 'is not', null)
        .orderBy('last_message_at', 'desc')
        .limit(100)
        .execute();
      const rows = [...open, ...done];
      const patients = new Map(
        (await getResources(store.db, 'Patient', [...new Set(rows.map((r) => r.patient_id))])).map((p) => [
          p.id,
          p.resource as unknown as Patient,
        ]),
      );
      const threads = rows.map((r) => ({
        id: r.id,
        patient: { id: r.patient_id, name: patientDisplayName(patients.get(r.patient_id), 'Unnamed patient') },
        team: { key: r.team_key, name: r.team_name },
        subject: r.subject,
        lastMessageAt: r.last_message_at,
        unanswered: r.last_from === 'patient',
        unread: r.last_from === 'patient' && (!r.staff_read_at || r.staff_read_at < r.last_message_at),
        handled: r.handled_at !== null,
      }));
      const rank = (t: (typeof threads)[number]) => (t.handled ? 3 : t.unread ? 0 : t.unanswered ? 1 : 2);
      threads.sort((a, b) => rank(a) - rank(b) || b.lastMessageAt.localeCompare(a.lastMessageAt));
      // One entry per look at the inbox, naming how many conversations (subjects and names) were shown.
      await audit(
        c,
        'staff.message.list',
        null,
        'message_thread',
        'success',
        `${threads.length} conversations of ${new Set(rows.map((r) => r.patient_id)).size} patients`,
      );
      return c.json({ threads });
    })
    .get('/:id', async (c) => {
      const row = await threadRow(c.req.param('id'));
      const patient = (await getResource(store.db, 'Patient', row.patient_id))?.resource as unknown as
        Patient | undefined;
      const messages = (await readCompartmentType(store.db, row.patient_id, 'Communication'))
        .map((r) => r.resource as unknown as Communication)
        .filter((m) => threadOf(m) === row.id)
        .sort(
          (a, b) => Number(b.id === row.id) - Number(a.id === row.id) || String(a.sent).localeCompare(String(b.sent)),
        );
      // Read up to the last message shown (one that arrives meanwhile stays unread), with its audit entry.
      const readUpTo = String(messages.at(-1)?.sent ?? row.last_message_at);
      await withTransaction(store, async (trx) => {
        await trx.updateTable('message_thread').set({ staff_read_at: readUpTo }).where('id', '=', row.id).execute();
        await audit(c, 'staff.message.view', row.patient_id, `Communication/${row.id}`, 'success', undefined, trx);
      });
      return c.json({
        thread: {
          id: row.id,
          lastMessageAt: row.last_message_at,
          subject: row.subject,
          team: { key: row.team_key, name: row.team_name },
          patient: { id: row.patient_id, name: patientDisplayName(patient, 'Unnamed patient') },
          handled: row.handled_at !== null,
          unanswered: row.last_from === 'patient',
        },
        messages: messages.map((m) => ({
          id: m.id,
          fromPatient: m.sender?.reference?.startsWith('Patient/') ?? false,
          sender: m.sender?.display ?? '',
          // Written by a caregiver for the patient: "sent by <sentBy.name> for <sender>".
          ...sentByOf(m),
          sent: m.sent,
          text: m.payload?.find((p) => p.contentString !== undefined)?.contentString ?? '',
          attachments: (m.payload ?? []).flatMap((p) =>
            p.contentAttachment?.url?.startsWith('Binary/')
              ? [
                  {
                    id: p.contentAttachment.url.slice('Binary/'.length),
                    title: p.contentAttachment.title ?? 'attachment',
                    contentType: p.contentAttachment.contentType ?? '',
                    size: p.contentAttachment.size ?? 0,
                  },
                ]
              : [],
          ),
          documents: (m.payload ?? []).flatMap((p) =>
            p.contentReference?.reference
              ? [
                  {
                    id: p.contentReference.reference.replace(/^DocumentReference\//, ''),
                    title: p.contentReference.display ?? 'Document',
                  },
                ]
              : [],
          ),
        })),
      });
    })
    .get('/:id/files/:binaryId', async (c) => {
      const row = await threadRow(c.req.param('id'));
      const binaryId = pathId(c.req.param('binaryId'), 'That file is not part of this conversation.');
      const binary = (await getResource(store.db, 'Binary', binaryId))?.resource as unknown as Binary | undefined;
      // Only a file of this conversation's patient, named in one of its messages.
      const named = (await readCompartmentType(store.db, row.patient_id, 'Communication'))
        .map((r) => r.resource as unknown as Communication)
        .filter((m) => threadOf(m) === row.id)
        .flatMap((m) => m.payload ?? [])
        .find((p) => p.contentAttachment?.url === `Binary/${binaryId}`);
      if (!binary?.data || !named || binary.securityContext?.reference !== `Patient/${row.patient_id}`) {
        await audit(c, 'staff.message.file-denied', row.patient_id, `Binary/${binaryId}`.slice(0, 200), 'denied');
        throw new ApiError(404, 'not_found', 'That file is not part of this conversation.');
      }
      await audit(c, 'staff.message.file', row.patient_id, `Binary/${binaryId}`);
      const name = named.contentAttachment?.title ?? 'attachment';
      return c.body(Buffer.from(binary.data, 'base64'), 200, {
        'Content-Type': binary.contentType,
        // Always a download, never shown in this origin: a hostile file cannot run here.
        'Content-Disposition': `attachment; filename="${name.replace(/[^\w. -]+/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`,
        'X-Content-Type-Options': 'nosniff',
      });
    })
    .post('/:id/reply', requireIdempotencyKey(deps), jsonBody(replyBody), async (c) => {
      const body = c.req.valid('json');
      const { account } = authOf(c);
      const row = await threadRow(c.req.param('id'));
      const shared = body.document
        ? {
            binaryId: randomUUID(),
            documentId: randomUUID(),
            title: body.document.title,
            file: await checkAttachment(body.document.name, body.document.data),
          }
        : undefined;
      const answer = await idempotent(c, deps, async (trx) => {
        const now = clock.now();
        const id = randomUUID();
        const document = shared
          ? sharedDocument({
              id: shared.documentId,
              binaryId: shared.binaryId,
              patientId: row.patient_id,
              file: shared.file,
              title: shared.title,
              author: account.display_name,
              now,
            })
          : undefined;
        const message = messageCommunication({
          id,
          patientId: row.patient_id,
          from: { patient: false, display: account.display_name },
          threadId: row.id,
          team: { key: row.team_key, name: row.team_name },
          subject: row.subject,
          text: body.body,
          attachments: [],
          documents: document ? [document] : [],
          origin: config.publicOrigin,
          now,
        });
        const written =
          shared && document
            ? [attachmentBinary(shared.binaryId, row.patient_id, shared.file), document, message]
            : [message];
        await putResources(trx, store.dialect, written as unknown as JsonObject[], now);
        const at = now.toISOString();
        await trx
          .updateTable('message_thread')
          .set({ last_message_at: at, last_from: 'care-team', staff_read_at: at })
          .where('id', '=', row.id)
          .execute();
        await appendAudit(
          trx,
          {
            actor: account.id,
            onBehalfOf: row.patient_id,
            action: 'staff.message.reply',
            outcome: 'success',
            ip: clientIp(c),
            target: `Communication/${id}`,
            detail: document ? `shared DocumentReference/${document.id}` : null,
          },
          now,
        );
        return { status: 201, body: { message, ...(document ? { document } : {}) } };
      });
      // (A replayed retry is answered by the middleware and never reaches here: the patient is told once.)
      if (answer.status === 201)
        await tellPatient(deps, row.patient_id, { subject: 'A new message from your care team', path: '/messages' });
      return answer;
    })
    .post('/:id/handled', jsonBody(handledBody), async (c) => {
      const { handled, lastMessageAt } = c.req.valid('json');
      const { account } = authOf(c);
      const row = await threadRow(c.req.param('id'));
      const at = clock.now().toISOString();
      await withTransaction(store, async (trx) => {
        // Only the conversation as the staff member saw it: a newer message from the patient must be read first.
        const done = await trx
          .updateTable('message_thread')
          .set(handled ? { handled_at: at, handled_by: account.id } : { handled_at: null, handled_by: null })
          .where('id', '=', row.id)
          .where('last_message_at', '=', lastMessageAt)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1)
          throw new ApiError(
            409,
            'thread_changed',
            'A new message arrived in this conversation. Please read it first.',
          );
        await audit(
          c,
          handled ? 'staff.message.handled' : 'staff.message.reopened',
          row.patient_id,
          `Communication/${row.id}`,
          'success',
          undefined,
          trx,
        );
      });
      return c.json({ id: row.id, handled });
    });
}
