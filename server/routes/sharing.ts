import { randomUUID } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.js';
import { normalizeEmail } from '../auth/accounts.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { ApiError, jsonError } from '../errors.js';
import { pathId } from '../http/ids.js';
import { jsonBody } from '../http/json-body.js';
import { authOf, clientIp, requireFreshAuth, requireSession } from '../http/require-session.js';
import { withTransaction } from '../store/store.js';
import { CARE_SCOPES, CURRENT_CAREGIVER_CONSENT, orderScopes, scopesInWords } from '../../common/caregiver-consent.js';
import {
  auditGrant,
  endFromDate,
  grantDetail,
  grantState,
  isOpen,
  insertConsent,
  insertInvitation,
  INVITE_DAYS,
  lastDayOf,
  MAX_LIVE_GRANTS,
  patientGrant,
  requireCurrentConsent,
  scopesOf,
  type GrantRow,
  endGrant,
} from '../caregivers/grants.js';
import { sharingEntryOf, sharingList } from '../caregivers/views.js';
import { partiesOf, sendGrantMails } from '../caregivers/notices.js';

const DAY = 24 * 3600_000;
const NOT_FOUND = 'There is no such caregiver on your account.';

const scopesField = z
  .array(z.enum(CARE_SCOPES, 'Each choice is one of: records, appointments, messages, refills.'))
  .min(1, 'Choose at least one thing they may do.')
  .max(CARE_SCOPES.length, 'Choose each thing once.');
const endsOnField = z.iso.date('End date: use the form YYYY-MM-DD.');
const consentField = z.string().min(1, 'Read and accept the consent text first.').max(32);

const inviteBody = z
  .object({
    email: z.email('Enter their email address, such as name@example.com.').max(254),
    name: z.string().trim().min(1, 'Enter their name.').max(100, 'Name: at most 100 characters.'),
    scopes: scopesField,
    endsOn: endsOnField.optional(),
    consentVersion: consentField,
  })
  .strict();

const changeBody = z
  .object({
    scopes: scopesField.optional(),
    endsOn: endsOnField.nullable().optional(),
    consentVersion: consentField.optional(),
  })
  .strict()
  .refine((b) => b.scopes || b.endsOn !== undefined || b.consentVersion, 'Say what to change: scopes or endsOn.');

/**
 * `/api/sharing`: the patient's own caregivers ([3/11]). Listing needs a session; inviting, changing and ending
 * access need a recent sign-in (step-up), like any change of who may see the record. Each change is audited in its
 * transaction and told to both sides by mail after it commits.
 *
 * - `GET /` → `{ consentVersion, caregivers: SharingEntry[] }` (newest first, ended ones too)
 * - `POST /` `{ email, name, scopes, endsOn?, consentVersion }` → 201 `{ caregiver, message }`; mails a single-use
 *   link (`/caregiver-invite#token=…`, 7 days). A consent to another text than the current one: 409.
 * - `PATCH /:id` `{ scopes?, endsOn? (null: no end), consentVersion? }` → `{ caregiver, message }`; adding a scope
 *   needs the current consent again.
 * - `DELETE /:id` → `{ caregiver, message }`: access ends at their next request.
 */
export function sharingRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const clinic = config.clinic;
  const signedIn = requireSession(deps);
  const fresh = requireFreshAuth(deps);
  const ownRecord: MiddlewareHandler<AppEnv> = async (c, next) => {
    const { account } = authOf(c);
    if (account.kind !== 'patient' || !account.patient_id)
      return jsonError(
        c,
        403,
        'no_record',
        'Sharing is for patients with a record at the clinic; this account has none.',
      );
    return next();
  };
  return new Hono<AppEnv>()
    .get('/', signedIn, ownRecord, async (c) => {
      const { account } = authOf(c);
      return c.json({
        consentVersion: CURRENT_CAREGIVER_CONSENT.version,
        caregivers: await sharingList(store.db, account.patient_id!, clock.now(), clinic),
      });
    })
    .post('/', signedIn, ownRecord, fresh, jsonBody(inviteBody), async (c) => {
      const body = c.req.valid('json');
      const { account } = authOf(c);
      const now = clock.now();
      const patientId = account.patient_id!;
      requireCurrentConsent(body.consentVersion);
      const email = normalizeEmail(body.email);
      if (email === account.email)
        throw new ApiError(
          400,
          'own_email',
          'That is your own email address: enter the address of the person you invite.',
          [{ path: 'email', message: 'That is your own email address.' }],
        );
      const scopes = orderScopes(body.scopes);
      const endsAt = body.endsOn ? endFromDate(body.endsOn, now, clinic.timeZone) : null;
      const token = newToken();
      const row = await withTransaction(store, async (trx) => {
        const current = await trx
          .selectFrom('caregiver_grant')
          .selectAll()
          .where('patient_id', '=', patientId)
          .where('revoked_at', 'is', null)
          .where('left_at', 'is', null)
          .execute();
        const open = current.filter((r) => isOpen(grantState(r, undefined, now, clinic)));
        if (open.some((r) => r.invited_email === email))
          throw new ApiError(
            409,
            'already_invited',
            `You have already invited ${email}. Change or end that invitation in Account → Sharing instead.`,
          );
        if (open.length >= MAX_LIVE_GRANTS)
          throw new ApiError(
            409,
            'too_many_caregivers',
            `You can share with at most ${MAX_LIVE_GRANTS} people at once.`,
          );
        const row: GrantRow = {
          id: randomUUID(),
          patient_id: patientId,
          caregiver_account_id: null,
          invited_email: email,
          invited_name: body.name,
          kind: 'caregiver',
          scopes: JSON.stringify(scopes),
          ends_at: endsAt,
          invite_expires_at: new Date(now.getTime() + INVITE_DAYS * DAY).toISOString(),
          created_by: account.id,
          created_at: now.toISOString(),
          accepted_at: null,
          revoked_at: null,
          revoked_by: null,
          left_at: null,
          vault_key: null,
        };
        await insertInvitation(trx, row, { version: body.consentVersion, by: account.id }, hashToken(token), now);
        await auditGrant(
          trx,
          {
            actor: account.id,
            grant: row,
            action: 'caregiver.invited',
            ip: clientIp(c),
            detail: grantDetail(scopes, endsAt, body.consentVersion),
          },
          now,
        );
        return row;
      });
      sendGrantMails(deps, await partiesOf(store.db, row), {
        what: 'invited',
        token,
        scopes,
        endsOn: lastDayOf(endsAt, clinic.timeZone),
        invitedEmail: email,
      });
      return c.json(
        {
          caregiver: await sharingEntryOf(store.db, row, now, clinic),
          message: `We sent an invitation to ${email}. The link in it works once, for ${INVITE_DAYS} days.`,
        },
        201,
      );
    })
    .patch('/:id', signedIn, ownRecord, fresh, jsonBody(changeBody), async (c) => {
      const body = c.req.valid('json');
      const { account } = authOf(c);
      const now = clock.now();
      const id = pathId(c.req.param('id'), NOT_FOUND);
      const { row, changed } = await withTransaction(store, async (trx) => {
        const row = await patientGrant(trx, account.patient_id!, id, now, clinic);
        const before = scopesOf(row);
        const scopes = body.scopes ? orderScopes(body.scopes) : before;
        const added = scopes.filter((s) => !before.includes(s));
        if (added.length > 0 && !body.consentVersion)
          throw new ApiError(
            400,
            'consent_required',
            `Letting them ${scopesInWords(added)} shares more: read the consent text and accept it again.`,
            [{ path: 'consentVersion', message: 'Accept the consent text for what you add.' }],
          );
        if (body.consentVersion) requireCurrentConsent(body.consentVersion);
        const endsAt =
          body.endsOn === undefined
            ? row.ends_at
            : body.endsOn === null
              ? null
              : endFromDate(body.endsOn, now, clinic.timeZone);
        const changed = scopes.join() !== before.join() || endsAt !== row.ends_at || !!body.consentVersion;
        if (!changed) return { row, changed };
        await trx
          .updateTable('caregiver_grant')
          .set({ scopes: JSON.stringify(scopes), ends_at: endsAt })
          .where('id', '=', row.id)
          .execute();
        if (body.consentVersion) await insertConsent(trx, row.id, body.consentVersion, scopes, account.id, now);
        await auditGrant(
          trx,
          {
            actor: account.id,
            grant: row,
            action: 'caregiver.changed',
            ip: clientIp(c),
            detail: grantDetail(scopes, endsAt, body.consentVersion),
          },
          now,
        );
        const after = await trx
          .selectFrom('caregiver_grant')
          .selectAll()
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow();
        return { row: after, changed };
      });
      const scopes = scopesOf(row);
      const endsOn = lastDayOf(row.ends_at, clinic.timeZone);
      if (changed) sendGrantMails(deps, await partiesOf(store.db, row), { what: 'changed', scopes, endsOn });
      return c.json({
        caregiver: await sharingEntryOf(store.db, row, now, clinic),
        message: changed
          ? `${row.invited_name} may now ${scopesInWords(scopes)}, ${endsOn ? `until the end of ${endsOn}` : 'with no end date'}.`
          : 'Nothing changed.',
      });
    })
    .delete('/:id', signedIn, ownRecord, fresh, async (c) => {
      const { account } = authOf(c);
      const now = clock.now();
      const id = pathId(c.req.param('id'), NOT_FOUND);
      const row = await withTransaction(store, async (trx) => {
        const found = await patientGrant(trx, account.patient_id!, id, now, clinic);
        const row = await endGrant(trx, found.id, account.id, now, 'This access has already ended.');
        await auditGrant(
          trx,
          {
            actor: account.id,
            grant: row,
            action: 'caregiver.revoked',
            ip: clientIp(c),
            detail: row.accepted_at ? 'access ended' : 'invitation withdrawn',
          },
          now,
        );
        return row;
      });
      sendGrantMails(deps, await partiesOf(store.db, row), { what: 'revoked', pending: !row.accepted_at });
      return c.json({
        caregiver: await sharingEntryOf(store.db, row, now, clinic),
        message: row.accepted_at
          ? `${row.invited_name} can no longer see or do anything for you.`
          : `The invitation to ${row.invited_email} is withdrawn; its link no longer works.`,
      });
    });
}
