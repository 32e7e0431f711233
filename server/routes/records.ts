import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { validator } from 'hono/validator';
import { z } from 'zod';
import type { Patient } from 'fhir/r4';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { mayRead, readablePatients } from '../auth/record-access.js';
import { newToken } from '../auth/tokens.js';
import { ApiError } from '../errors.js';
import { authOf, clientIp, requireSession } from '../http/require-session.js';
import { latestSeq, listChanges } from '../store/changes.js';
import { getResource } from '../store/resource-reads.js';
import { patientDisplayName } from '../fhir/patient-name.js';

const feedQuery = z
  .object({
    patient: z.string().min(1).max(64),
    since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
  })
  .strict();

/** The feed's query, declared so the typed client sends it; the same 400 as when the handler parsed it by hand. */
const feedQueryIn = validator('query', (_query, c) => {
  const parsed = feedQuery.safeParse(c.req.query());
  if (!parsed.success)
    throw new ApiError(
      400,
      'invalid_query',
      `Bad request: ${parsed.error.issues[0]!.path.join('.') || 'query'}: ${parsed.error.issues[0]!.message}`,
    );
  return parsed.data;
});

/** A feed page stops past this much FHIR JSON (message attachments can be 13 MB each as base64). */
export const FEED_PAGE_BYTES = 8 * 1024 * 1024;

const NOT_FOUND = 'There is no record here that you may read.';

/**
 * `/api/records` ([5/8]): the one path by which records leave the server.
 * - `GET /patients`: the patients the signed-in account may read (today: their own record), with a display name.
 * - `GET /feed?patient=&since=&limit=`: that patient's changes after the cursor `since`, oldest first, as FHIR JSON,
 *   gzip-compressed, never cached. `next` is the cursor for the following page; `done` says whether this page
 *   reached the latest change. A sync with nothing new is one small request. A patient the account may not read
 *   gets the same 404 as a patient that does not exist, and the attempt is audited.
 * - `GET /vault-key`: the key that unwraps this account's local record on this device (held by the server).
 * None of them counts as activity for the idle limit.
 */
export function recordRoutes(deps: AppDeps) {
  const { store, clock } = deps;
  // The app's sync asks these by itself (every 45 s while it is open): that is not the person's activity, and must
  // not keep a session alive past its idle limit. The page reports real activity (session keepalive).
  return new Hono<AppEnv>()
    .use(requireSession(deps, { touch: false }))
    .get('/patients', async (c) => {
      const { account } = authOf(c);
      const patients = [];
      for (const id of readablePatients(account)) {
        const patient = (await getResource(store.db, 'Patient', id))?.resource as Patient | undefined;
        patients.push({ id, name: patientDisplayName(patient, account.display_name), self: id === account.patient_id });
      }
      return c.json({ patients });
    })
    .get('/feed', compress({ encoding: 'gzip' }), feedQueryIn, async (c) => {
      const { patient, since, limit } = c.req.valid('query');
      const { account } = authOf(c);
      const now = clock.now();
      if (!mayRead(account, patient)) {
        await appendAudit(
          store.db,
          {
            actor: account.id,
            action: 'record.access-denied',
            outcome: 'denied',
            ip: clientIp(c),
            target: `Patient/${patient}`.slice(0, 200),
          },
          now,
        );
        throw new ApiError(404, 'not_found', NOT_FOUND);
      }
      const latest = await latestSeq(store.db, patient);
      const changes = since >= latest ? [] : await listChanges(store.db, patient, since, limit, FEED_PAGE_BYTES);
      const next = changes.length ? changes.at(-1)!.seq : Math.min(since, latest);
      if (since === 0)
        await appendAudit(
          store.db,
          {
            actor: account.id,
            onBehalfOf: patient,
            action: 'record.download',
            outcome: 'success',
            ip: clientIp(c),
            detail: `${latest} changes`,
          },
          now,
        );
      return c.json({
        patient,
        since,
        next,
        latest,
        done: next >= latest,
        changes: changes.map((ch) => ({
          seq: ch.seq,
          type: ch.resourceType,
          id: ch.id,
          ...(ch.resource ? { resource: ch.resource } : { deleted: true }),
        })),
      });
    })
    .get('/vault-key', async (c) => {
      const { account } = authOf(c);
      if (account.vault_key) return c.json({ key: account.vault_key });
      // Made once, at first use; two sessions racing keep whichever was written first.
      await store.db
        .updateTable('account')
        .set({ vault_key: newToken(32) })
        .where('id', '=', account.id)
        .where('vault_key', 'is', null)
        .execute();
      const row = await store.db
        .selectFrom('account')
        .select('vault_key')
        .where('id', '=', account.id)
        .executeTakeFirstOrThrow();
      return c.json({ key: row.vault_key });
    });
}
