import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { validator } from 'hono/validator';
import { z } from 'zod';
import type { Communication, Patient } from 'fhir/r4';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { livePeopleOf, loadStanding } from '../auth/record-access.js';
import { newToken } from '../auth/tokens.js';
import { ApiError } from '../errors.js';
import { auditRefusal, missingScope, requirePatientAccess } from '../http/patient-access.js';
import { fhirId } from '../http/ids.js';
import { jsonBody } from '../http/json-body.js';
import { idempotent, requireIdempotencyKey } from '../http/idempotency.js';
import { tellHolder } from '../auth/holder-notice.js';
import { authOf, clientIp, requireSession } from '../http/require-session.js';
import { latestSeq, listChanges, type Change } from '../store/changes.js';
import { getResource, readCompartmentType } from '../store/resource-reads.js';
import { patientDisplayName } from '../fhir/patient-name.js';
import { grantVaultKey, patientName } from '../caregivers/grants.js';
import { CARE_SCOPES, type CareScope } from '../../common/caregiver-consent.js';
import { shownWith, type ScopeContext } from '../../common/care-scope-of.js';
import { patientAsShared } from '../../common/patient-shared.js';
import type { Db } from '../auth/sessions.js';

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

/** What the device made from its copy of the record, for another clinic ([4/11]). */
export const EXPORT_KINDS = {
  fhir: 'FHIR R4 Bundle of the whole record',
  ips: 'International Patient Summary',
} as const;

const exportedBody = z
  .object({
    patientId: fhirId('Say whose record was exported.'),
    kind: z.enum(Object.keys(EXPORT_KINDS) as [keyof typeof EXPORT_KINDS], 'Say what was exported: fhir or ips.'),
  })
  .strict();

const vaultKeyQueryIn = validator('query', (_query, c) => {
  const parsed = z
    .object({ patient: z.string().min(1).max(64).optional() })
    .strict()
    .safeParse(c.req.query());
  if (!parsed.success) throw new ApiError(400, 'invalid_query', 'Bad request: patient: not a record id');
  return parsed.data;
});

/** The ids of the Binary resources attached to the patient's messages (the others hold documents of the record). */
async function messageAttachments(db: Db, patientId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const row of await readCompartmentType(db, patientId, 'Communication'))
    for (const p of (row.resource as unknown as Communication).payload ?? []) {
      const url = p.contentAttachment?.url;
      if (url?.startsWith('Binary/')) ids.add(url.slice('Binary/'.length));
    }
  return ids;
}

/** The changes a caregiver holding `scopes` is given (the patient: all of them). */
async function changesFor(db: Db, patientId: string, scopes: readonly CareScope[], changes: Change[]) {
  if (CARE_SCOPES.every((s) => scopes.includes(s))) return changes;
  const context: ScopeContext =
    changes.some((ch) => ch.resourceType === 'Binary' && ch.resource) &&
    scopes.includes('messages') !== scopes.includes('records')
      ? { messageAttachments: await messageAttachments(db, patientId) }
      : {};
  return changes.filter((ch) => shownWith(scopes, ch.resourceType, ch.resource, context));
}

/** A feed page stops past this much FHIR JSON (message attachments can be 13 MB each as base64). */
export const FEED_PAGE_BYTES = 8 * 1024 * 1024;

const NOT_FOUND = 'There is no record here that you may read.';

/**
 * `/api/records` ([5/8], [3/11]): the one path by which records leave the server.
 * - `GET /patients`: the people the signed-in account may act for now, with a display name: their own record
 *   (`self`, every scope), then each live caregiver or guardian grant with the scopes it allows today.
 * - `GET /feed?patient=&since=&limit=`: that patient's changes after the cursor `since`, oldest first, as FHIR JSON,
 *   gzip-compressed, never cached. `next` is the cursor for the following page; `done` says whether this page
 *   reached the latest change. A sync with nothing new is one small request. A caregiver (any live scope) gets
 *   only the changes their scopes cover (common/care-scope-of.ts); the cursor moves past the others. A patient the
 *   account may not read gets the same 404 as a patient that does not exist, and the attempt is audited.
 * - `GET /vault-key?patient=`: the key that unwraps this account's local record on this device (held by the
 *   server); for a person the account cares for, the key of that grant's copy (grantVaultKey), only while it is live.
 * - `POST /exported` ([4/11]): the device made a file of the record for another clinic (`fhir`: the whole record
 *   as a FHIR Bundle, `ips`: an International Patient Summary) from its local copy; nothing of the record is sent,
 *   only that it happened, which is audited (`record.export`, on behalf of the patient: it shows in their access
 *   log). Allowed to whoever may read the record (the patient; a caregiver with the `records` scope). Sent through
 *   the outbox, so it needs an `Idempotency-Key`: a retry is written once. 201 `{ noted: true }`.
 * None of them counts as activity for the idle limit.
 */
export function recordRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  // The app's sync asks these by itself (every 45 s while it is open): that is not the person's activity, and must
  // not keep a session alive past its idle limit. The page reports real activity (session keepalive).
  return new Hono<AppEnv>()
    .use(requireSession(deps, { touch: false }))
    .get('/patients', async (c) => {
      const { account } = authOf(c);
      const patients: {
        id: string;
        name: string;
        self: boolean;
        as: 'self' | 'caregiver' | 'guardian';
        scopes: CareScope[];
        grantId?: string;
      }[] = [];
      if (account.kind === 'patient' && account.patient_id) {
        const id = account.patient_id;
        const patient = (await getResource(store.db, 'Patient', id))?.resource as Patient | undefined;
        patients.push({
          id,
          name: patientDisplayName(patient, account.display_name),
          self: true,
          as: 'self',
          scopes: [...CARE_SCOPES],
        });
      }
      for (const p of await livePeopleOf(store.db, account, clock.now(), config.clinic))
        patients.push({
          id: p.patientId,
          name: await patientName(store.db, p.patientId),
          self: false,
          as: p.as,
          scopes: p.scopes,
          grantId: p.grantId,
        });
      return c.json({ patients });
    })
    .get('/feed', compress({ encoding: 'gzip' }), feedQueryIn, async (c) => {
      const { patient, since, limit } = c.req.valid('query');
      const { account } = authOf(c);
      const now = clock.now();
      const standing = await loadStanding(store.db, { account, patientId: patient, now }, config.clinic);
      if (!standing.live) {
        // A live grant left with no scope (a child's age took them) is told why; everyone else: "not found".
        const scoped = standing.reason === 'age' || standing.reason === 'scope';
        await auditRefusal(c, deps, {
          action: 'record.access-denied',
          target: `Patient/${patient}`,
          ...(scoped ? { patientId: patient } : {}),
          detail: standing.reason,
        });
        if (scoped) throw await missingScope(deps, patient, 'records', standing.reason === 'age');
        throw new ApiError(404, 'not_found', NOT_FOUND);
      }
      const latest = await latestSeq(store.db, patient);
      const page = since >= latest ? [] : await listChanges(store.db, patient, since, limit, FEED_PAGE_BYTES);
      // The cursor moves past what was left out, so a caregiver's next page starts after it.
      const next = page.length ? page.at(-1)!.seq : Math.min(since, latest);
      const given = await changesFor(store.db, patient, standing.scopes, page);
      // A caregiver gets whom the record is about, never the patient's contact details (common/patient-shared.ts).
      const changes =
        standing.as === 'self'
          ? given
          : given.map((ch) =>
              ch.resourceType === 'Patient' && ch.resource
                ? {
                    ...ch,
                    resource: patientAsShared(
                      ch.resource as unknown as Patient,
                      standing.scopes,
                    ) as unknown as typeof ch.resource,
                  }
                : ch,
            );
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
      // A caregiver's reads appear in the patient's access log: once per page that gave them something (a poll
      // with nothing new writes nothing).
      if (standing.as !== 'self' && changes.length)
        await appendAudit(
          store.db,
          {
            actor: account.id,
            onBehalfOf: patient,
            action: 'record.read',
            outcome: 'success',
            ip: clientIp(c),
            detail: `${changes.length} changes as ${standing.as}; scopes=${standing.scopes.join(',')}`,
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
    .post('/exported', requireIdempotencyKey(deps), jsonBody(exportedBody), async (c) => {
      const { patientId, kind } = c.req.valid('json');
      const access = await requirePatientAccess(c, deps, {
        patientId,
        scope: 'records',
        deniedAction: 'record.access-denied',
        notFound: NOT_FOUND,
      });
      // Through the outbox (an export made offline is told later): retried with the same key, written once.
      return idempotent(c, deps, async (trx) => {
        await appendAudit(
          trx,
          {
            actor: authOf(c).account.id,
            onBehalfOf: patientId,
            action: 'record.export',
            outcome: 'success',
            ip: clientIp(c),
            detail: `${EXPORT_KINDS[kind]}, made on the device${access.as === 'self' ? '' : ` by a ${access.as}`}`,
          },
          clock.now(),
        );
        // SECURITY.md: the account holder is told of an export (their record, or the one they export as a caregiver).
        tellHolder(
          deps,
          authOf(c).account,
          'Health record downloaded',
          `${kind === 'ips' ? 'An International Patient Summary' : 'A copy of the whole record (FHIR R4 Bundle)'} of ${
            access.as === 'self' ? 'your health record' : 'the health record you help with'
          } was made on a device from the portal, to give to another clinic. It is listed in the access log.`,
        );
        return { status: 201, body: { noted: true } };
      });
    })
    .get('/vault-key', vaultKeyQueryIn, async (c) => {
      const { account } = authOf(c);
      const { patient } = c.req.valid('query');
      const forOther = patient !== undefined && !(account.kind === 'patient' && patient === account.patient_id);
      if (forOther) {
        const standing = await loadStanding(store.db, { account, patientId: patient, now: clock.now() }, config.clinic);
        if (!standing.live || !standing.grantId) {
          await auditRefusal(c, deps, {
            action: 'record.access-denied',
            target: `vault-key:Patient/${patient}`,
            detail: standing.live ? 'no-grant' : standing.reason,
          });
          throw new ApiError(404, 'not_found', NOT_FOUND);
        }
        return c.json({ key: await grantVaultKey(store.db, standing.grantId) });
      }
      return c.json({ key: account.vault_key ?? (await ownVaultKey(store.db, account.id)) });
    });
}

/** The account's own vault key, made once at first use; two sessions racing keep whichever was written first. */
async function ownVaultKey(db: Db, accountId: string): Promise<string> {
  await db
    .updateTable('account')
    .set({ vault_key: newToken(32) })
    .where('id', '=', accountId)
    .where('vault_key', 'is', null)
    .execute();
  const row = await db.selectFrom('account').select('vault_key').where('id', '=', accountId).executeTakeFirstOrThrow();
  return row.vault_key!;
}
