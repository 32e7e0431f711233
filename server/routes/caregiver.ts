import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.js';
import { createAccount, normalizeUsername } from '../auth/accounts.js';
import { spendLinkToken, usableLinkToken, type LinkToken } from '../auth/link-tokens.js';
import { hashPassword } from '../auth/password-hash.js';
import type { Account, Db } from '../auth/sessions.js';
import { ApiError } from '../errors.js';
import { pathId } from '../http/ids.js';
import { rateLimit } from '../http/rate-limit.js';
import { jsonBody } from '../http/json-body.js';
import { authOf, clientIp, requireSession } from '../http/require-session.js';
import { isUniqueViolation, withTransaction } from '../store/store.js';
import { requireAcceptablePassword } from '../auth/password-check.js';
import { usernameSchema } from '../../common/signup-schema.js';
import { CURRENT_GUARDIAN_ATTESTATION, scopesInWords } from '../../common/caregiver-consent.js';
import { inviteTokenKey } from '../caregivers/guardians.js';
import {
  auditGrant,
  grantDetail,
  insertConsent,
  lastDayOf,
  patientName,
  scopesOf,
  type GrantRow,
} from '../caregivers/grants.js';
import { peopleFor } from '../caregivers/views.js';
import { partiesOf, sendGrantMails } from '../caregivers/notices.js';

const INVITE_TEXTS = {
  renew: 'or ask the person who invited you to send a new invitation',
  lifetime: '7 days',
  afterUse: 'If you accepted it, sign in with the account you accepted it with.',
};
const NOT_FOUND = 'You do not have access for this person.';

// A patient's invitation link carries a 43-character token; a guardian's activation code is 16 symbols (with dashes).
const tokenField = z.string().min(16).max(100);
const tokenBody = z.object({ token: tokenField }).strict();
const signUpBody = z
  .object({
    token: tokenField,
    username: usernameSchema,
    password: z.string().min(1, 'Choose a password.').max(1024, 'Password: at most 128 characters.'),
    /** The name the account shows; the patient's name for them when left out. */
    name: z.string().trim().min(1, 'Enter your name.').max(100, 'Name: at most 100 characters.').optional(),
  })
  .strict();

/** The invitation behind a link: the token row and its grant, refused with a sentence when it cannot be accepted. */
async function invitation(db: Db, token: string, now: Date): Promise<{ link: LinkToken; grant: GrantRow }> {
  const link = await usableLinkToken(db, inviteTokenKey(token), 'caregiver-invite', now, INVITE_TEXTS);
  const { grantId } = JSON.parse(link.payload ?? '{}') as { grantId?: string };
  const grant = grantId
    ? await db.selectFrom('caregiver_grant').selectAll().where('id', '=', grantId).executeTakeFirst()
    : undefined;
  if (!grant) throw new ApiError(400, 'link_invalid', `This link is not valid. Please ${INVITE_TEXTS.renew.slice(3)}.`);
  if (grant.revoked_at)
    throw new ApiError(410, 'invitation_withdrawn', 'This invitation was withdrawn by the person who sent it.');
  if (grant.accepted_at)
    throw new ApiError(410, 'link_used', `This link has already been used. ${INVITE_TEXTS.afterUse}`);
  if (grant.ends_at && Date.parse(grant.ends_at) <= now.getTime())
    throw new ApiError(
      410,
      'grant_ended',
      'The end date chosen for this access has passed. Please ask for a new invitation.',
    );
  return { link, grant };
}

/**
 * Binds an invitation to `account` in the caller's transaction: spends the link, records who accepted and when,
 * audits. Refuses the patient's own record, a staff account, and a second live grant for the same person.
 */
async function accept(c: Context<AppEnv>, trx: Db, link: LinkToken, grant: GrantRow, account: Account, now: Date) {
  if (account.kind !== 'patient')
    throw new ApiError(
      403,
      'staff_account',
      'A staff account cannot hold a caregiver’s access. Sign out and accept with a personal account, or make one from this link.',
    );
  if (account.patient_id === grant.patient_id)
    throw new ApiError(409, 'own_record', 'This invitation is for your own record: you have access to it already.');
  const held = await trx
    .selectFrom('caregiver_grant')
    .selectAll()
    .where('caregiver_account_id', '=', account.id)
    .where('patient_id', '=', grant.patient_id)
    .execute();
  const live = (g: GrantRow) => !g.revoked_at && !g.left_at && !(g.ends_at && Date.parse(g.ends_at) <= now.getTime());
  if (held.some(live))
    throw new ApiError(
      409,
      'already_caregiver',
      'This account already has access for this person. They can change what you may do in their Account → Sharing.',
    );
  await spendLinkToken(trx, link, now, INVITE_TEXTS.afterUse);
  const done = await trx
    .updateTable('caregiver_grant')
    .set({ caregiver_account_id: account.id, accepted_at: now.toISOString() })
    .where('id', '=', grant.id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1)
    throw new ApiError(410, 'invitation_withdrawn', 'This invitation was withdrawn by the person who sent it.');
  // Read back what was accepted: the patient may have changed the scopes since the link was read.
  const row = await trx.selectFrom('caregiver_grant').selectAll().where('id', '=', grant.id).executeTakeFirstOrThrow();
  // A guardian's own attestation of their legal authority (shown on the page before they accept), beside the care
  // team's one made when it was set up.
  if (row.kind === 'guardian')
    await insertConsent(trx, row.id, CURRENT_GUARDIAN_ATTESTATION.version, scopesOf(row), account.id, now);
  await auditGrant(
    trx,
    {
      actor: account.id,
      grant: row,
      action: 'caregiver.accepted',
      ip: clientIp(c),
      detail: grantDetail(scopesOf(row), row.ends_at),
    },
    now,
  );
  return row;
}

/**
 * `/api/caregiver`: the caregiver's side ([3/11]).
 *
 * The token is an invitation link's, or a guardian's activation code (`7K3M-Q9XD-…`, case and dashes ignored) that
 * the care team set up (server/caregivers/guardians.ts); a guardian's acceptance records their attestation.
 *
 * - `POST /invitation` `{ token }` → what the invitation offers (who invited, the address it was sent to, scopes,
 *   end), without using it up; no session needed.
 * - `POST /invitation/accept` `{ token }` (signed in) → accepts into this account. Any patient or caregiver account
 *   may; the address need not match (the patient is told which account accepted).
 * - `POST /invitation/sign-up` `{ token, username, password, name? }` → 201: a caregiver account of its own (no
 *   record, no MRN), its email the invited address, confirmed by the link itself. Then the normal sign-in, and the
 *   page's second-factor set-up (`/account/protect`), as for a new patient.
 * - `GET /people` (signed in) → `{ people }`: whom this account may act for now and what it may do for each.
 * - `DELETE /people/:grantId` (signed in) → the caregiver gives up that access.
 */
export function caregiverRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const clinic = config.clinic;
  const signedIn = requireSession(deps);
  const accepted = async (row: GrantRow) => {
    const parties = await partiesOf(store.db, row);
    sendGrantMails(deps, parties, {
      what: 'accepted',
      scopes: scopesOf(row),
      endsOn: lastDayOf(row.ends_at, clinic.timeZone),
    });
    return parties.patient.name;
  };

  // Defence in depth beside the codes' 80 bits: one address may try invitation links and typed codes only so often.
  const tries = rateLimit({
    limit: 30,
    windowMs: 60_000,
    clock,
    message: 'Too many tries with invitation links or codes from this address. Please wait a minute.',
  });

  return new Hono<AppEnv>()
    .post('/invitation', tries, jsonBody(tokenBody), async (c) => {
      const now = clock.now();
      const { link, grant } = await invitation(store.db, c.req.valid('json').token, now);
      return c.json({
        patientName: await patientName(store.db, grant.patient_id),
        invitedName: grant.invited_name,
        invitedEmail: grant.invited_email,
        kind: grant.kind,
        /** For a guardian only: what they attest by accepting (their legal authority for the child). */
        ...(grant.kind === 'guardian'
          ? {
              attestation: {
                version: CURRENT_GUARDIAN_ATTESTATION.version,
                text: CURRENT_GUARDIAN_ATTESTATION.guardian,
              },
            }
          : {}),
        scopes: scopesOf(grant),
        endsOn: lastDayOf(grant.ends_at, clinic.timeZone),
        expiresAt: link.expires_at,
      });
    })
    .post('/invitation/accept', signedIn, tries, jsonBody(tokenBody), async (c) => {
      const now = clock.now();
      const { account } = authOf(c);
      const token = c.req.valid('json').token;
      const row = await withTransaction(store, async (trx) => {
        const { link, grant } = await invitation(trx, token, now);
        return accept(c, trx, link, grant, account, now);
      });
      const name = await accepted(row);
      return c.json({
        person: (await peopleFor(store.db, account.id, now, clinic)).find((p) => p.grantId === row.id) ?? null,
        invitedEmail: row.invited_email,
        message: `You can now ${scopesInWords(scopesOf(row))} for ${name}.`,
      });
    })
    .post('/invitation/sign-up', tries, jsonBody(signUpBody), async (c) => {
      const input = c.req.valid('json');
      const now = clock.now();
      const { grant } = await invitation(store.db, input.token, now);
      const email = grant.invited_email;
      if (!email)
        throw new ApiError(
          400,
          'no_email',
          'This invitation has no email address. Sign in to an account of yours to accept it.',
        );
      const username = normalizeUsername(input.username);
      requireAcceptablePassword(input.password, { personal: [username, email, input.name ?? grant.invited_name] });
      const clash = await store.db
        .selectFrom('account')
        .select(['username', 'email'])
        .where((eb) => eb.or([eb('username', '=', username), eb('email', '=', email)]))
        .executeTakeFirst();
      if (clash?.email === email)
        throw new ApiError(
          409,
          'email_taken',
          `${email} already has a portal account. Sign in with it, then open the link again to accept there.`,
        );
      if (clash)
        throw new ApiError(409, 'username_taken', 'That username is taken. Please choose another.', [
          { path: 'username', message: 'That username is taken.' },
        ]);
      const passwordHash = await hashPassword(input.password);
      const { row, account } = await withTransaction(store, async (trx) => {
        const { link, grant } = await invitation(trx, input.token, now);
        const account = await createAccount(
          trx,
          {
            kind: 'patient',
            patientId: null,
            username,
            email,
            displayName: input.name ?? grant.invited_name,
            passwordHash,
          },
          now,
        );
        // The link came to this address, so opening it confirms the address.
        await trx
          .updateTable('account')
          .set({ email_verified_at: now.toISOString() })
          .where('id', '=', account.id)
          .execute();
        await auditGrant(trx, { actor: account.id, grant, action: 'caregiver.signed-up', ip: clientIp(c) }, now);
        return { row: await accept(c, trx, link, grant, account, now), account };
      }).catch((error: unknown) => {
        if (isUniqueViolation(error))
          throw new ApiError(
            409,
            'signup_conflict',
            'That username or email address was taken meanwhile. Please choose another username, or sign in.',
          );
        throw error;
      });
      const name = await accepted(row);
      return c.json(
        {
          status: 'account-ready',
          username: account.username,
          message: `Your account is ready, and you can ${scopesInWords(scopesOf(row))} for ${name}. Sign in now; you will then be asked to protect your account with a second step.`,
        },
        201,
      );
    })
    .get('/people', signedIn, async (c) => {
      const { account } = authOf(c);
      return c.json({ people: await peopleFor(store.db, account.id, clock.now(), clinic) });
    })
    .delete('/people/:id', signedIn, async (c) => {
      const { account } = authOf(c);
      const now = clock.now();
      const id = pathId(c.req.param('id'), NOT_FOUND);
      const row = await withTransaction(store, async (trx) => {
        const done = await trx
          .updateTable('caregiver_grant')
          .set({ left_at: now.toISOString() })
          .where('id', '=', id)
          .where('caregiver_account_id', '=', account.id)
          .where('accepted_at', 'is not', null)
          .where('revoked_at', 'is', null)
          .where('left_at', 'is', null)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) throw new ApiError(404, 'not_found', NOT_FOUND);
        const row = await trx.selectFrom('caregiver_grant').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        await auditGrant(trx, { actor: account.id, grant: row, action: 'caregiver.left', ip: clientIp(c) }, now);
        return row;
      });
      const parties = await partiesOf(store.db, row);
      sendGrantMails(deps, parties, { what: 'left' });
      return c.json({ message: `You no longer have access for ${parties.patient.name}.` });
    });
}
