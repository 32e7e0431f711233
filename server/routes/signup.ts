import { patientDisplayName } from '../fhir/patient-name.js';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.js';
import { ageOn } from '../auth/record-access.js';
import { appendAudit } from '../audit/log.js';
import { createAccount, normalizeEmail, normalizeUsername } from '../auth/accounts.js';
import { normalizeActivationCode } from '../auth/activation-code.js';
import { matchActivationCode, matchRecord } from '../auth/identity-proofing.js';
import { clearFailures, reserveAttempt } from '../auth/login-throttle.js';
import { hashPassword } from '../auth/password-hash.js';
import { requireAcceptablePassword } from '../auth/password-check.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { spendLinkToken, usableLinkToken } from '../auth/link-tokens.js';
import { ApiError } from '../errors.js';
import { jsonBody } from '../http/json-body.js';
import { NEUTRAL_REPLY_MS, sleepUntil } from '../http/neutral-reply.js';
import { sendInBackground } from '../notify/mailer.js';
import { clientIp } from '../http/require-session.js';
import { isUniqueViolation, withTransaction } from '../store/store.js';
import { getResource } from '../store/resource-reads.js';
import type { Patient } from 'fhir/r4';
import { signupBody, type SignupBody } from '../../common/signup-schema.js';

const DAY = 24 * 3600_000;

const VERIFY_TEXTS = { renew: 'or sign up again', lifetime: '24 hours', afterUse: 'You can sign in.' };

interface PendingSignup {
  patientId: string;
  username: string;
  email: string;
  passwordHash: string;
  phone: string | null;
  notify: SignupBody['notify'];
  activationTokenHash: string | null;
}

/**
 * `/api/signup`: a patient proves who they are (activation code + date of birth, or record number + date of birth +
 * last name + date of the last visit) and chooses their sign-in details. The answer is the same whatever happened:
 * it never says whether a record matched or already has an account. A match gets a verification link by email
 * (24 hours, single use); the account exists only once that link is opened (POST /api/signup/confirm).
 */
export function signupRoutes(deps: AppDeps) {
  const { store, clock, config, mailer, logger } = deps;
  const neutral = {
    status: 'check-email',
    message:
      'Thank you. If these details match our records, we have sent an email to the address you gave. ' +
      `Open the link in it within 24 hours to finish. If nothing arrives within 15 minutes, check the details and try again, or call ${config.clinic.support.phone}.`,
  };
  const sendLater = (to: string, subject: string, text: string) =>
    sendInBackground(mailer, logger, { to, subject, text });

  return new Hono<AppEnv>()
    .post('/', jsonBody(signupBody), async (c) => {
      const started = performance.now();
      const body = c.req.valid('json');
      const now = clock.now();
      // Every neutral answer leaves at the same moment, so the time taken does not tell how far the details matched.
      const neutralReply = async () => {
        await sleepUntil(started + NEUTRAL_REPLY_MS);
        return c.json(neutral, 202);
      };
      const ip = clientIp(c);
      const username = normalizeUsername(body.username);
      const email = normalizeEmail(body.email);
      requireAcceptablePassword(body.password, { personal: [username, email] });
      // No "username taken" answer here: it would tell anyone which sign-in names exist. A clash is reported at
      // confirmation, to the holder of a valid link only.

      const identityKey = `signup:${hashToken(body.method === 'activation-code' ? normalizeActivationCode(body.activationCode) : body.mrn.trim())}`;
      const attempt = await reserveAttempt(store, identityKey, now, { neverDisable: true });
      if (!attempt.allowed) {
        await appendAudit(store.db, { actor: null, action: 'signup.throttled', outcome: 'throttled', ip }, now);
        const seconds = attempt.reason === 'wait' ? Math.ceil(attempt.retryAfterMs / 1000) : 3600;
        c.header('Retry-After', String(seconds));
        return c.json(
          {
            error: 'too_many_attempts',
            message: `Too many attempts with these details. Please wait ${Math.ceil(seconds / 60)} minutes, or call ${config.clinic.support.phone}.`,
          },
          429,
        );
      }
      // Hash first, on every path, so a match costs no more time than a miss.
      const passwordHash = await hashPassword(body.password);
      const match =
        body.method === 'activation-code'
          ? await matchActivationCode(store.db, body.activationCode, body.birthDate, now)
          : { patientId: await matchRecord(store.db, body), tokenHash: null };
      if (!match?.patientId) {
        await appendAudit(
          store.db,
          { actor: null, action: 'signup.failed', outcome: 'failure', ip, detail: body.method },
          now,
        );
        return neutralReply();
      }
      // A minor's record is not claimed by knowing its details ([3/11]): a parent or guardian holds them all (the
      // record's number and birth date, the visits) and would get the child's whole record with no age rule. A
      // young person signs up with an activation code the clinic gives them; the answer stays the neutral one.
      const age = body.method === 'record' ? ageOn(body.birthDate, now, config.clinic.timeZone) : undefined;
      if (age !== undefined && age < config.clinic.minors.endsAt) {
        await appendAudit(
          store.db,
          {
            actor: null,
            onBehalfOf: match.patientId,
            action: 'signup.failed',
            outcome: 'denied',
            ip,
            detail: 'record-details: a minor needs an activation code',
          },
          now,
        );
        return neutralReply();
      }
      await clearFailures(store.db, identityKey);
      const holder = await store.db
        .selectFrom('account')
        .select(['id', 'email'])
        .where('patient_id', '=', match.patientId)
        .executeTakeFirst();
      if (holder) {
        await appendAudit(
          store.db,
          { actor: null, onBehalfOf: match.patientId, action: 'signup.duplicate', outcome: 'denied', ip },
          now,
        );
        sendLater(
          holder.email,
          `Someone tried to create a second ${config.clinic.name} portal account`,
          `Someone just tried to create a new portal account for your health record. Each record has one account, so nothing was created.\n\n` +
            `If this was you, sign in at ${config.publicOrigin}/sign-in, or reset your password at ${config.publicOrigin}/forgot-password.\n` +
            `If it was not you, please call us on ${config.clinic.support.phone}.`,
        );
        return neutralReply();
      }
      const emailHolder = await store.db
        .selectFrom('account')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirst();
      if (emailHolder) {
        await appendAudit(
          store.db,
          { actor: null, onBehalfOf: match.patientId, action: 'signup.email-in-use', outcome: 'denied', ip },
          now,
        );
        sendLater(
          email,
          `Your email address was used to sign up at ${config.clinic.name}`,
          `Someone tried to create a portal account with this email address, which already belongs to an account. Nothing was created.\n\n` +
            `If this was you, sign in at ${config.publicOrigin}/sign-in. If not, you can ignore this email.`,
        );
        return neutralReply();
      }
      const token = newToken();
      const pending: PendingSignup = {
        patientId: match.patientId,
        username,
        email,
        passwordHash,
        phone: body.phone ?? null,
        notify: body.notify,
        activationTokenHash: match.tokenHash,
      };
      await store.db
        .insertInto('one_time_token')
        .values({
          hash: hashToken(token),
          purpose: 'verify-email',
          account_id: null,
          patient_id: match.patientId,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + DAY).toISOString(),
          used_at: null,
          payload: JSON.stringify(pending),
        })
        .execute();
      await appendAudit(
        store.db,
        {
          actor: null,
          onBehalfOf: match.patientId,
          action: 'signup.requested',
          outcome: 'success',
          ip,
          detail: body.method,
        },
        now,
      );
      // The token travels in the fragment: browsers do not send it to servers, logs or referrers.
      sendLater(
        email,
        `Confirm your email for ${config.clinic.name}`,
        `To finish creating your portal account, open this link within 24 hours:\n\n${config.publicOrigin}/verify-email#token=${token}\n\n` +
          `If you did not ask for an account, ignore this email and no account will be made.`,
      );
      return neutralReply();
    })
    .post('/confirm', jsonBody(z.object({ token: z.string().min(20).max(100) }).strict()), async (c) => {
      const { token } = c.req.valid('json');
      const now = clock.now();
      const account = await withTransaction(store, async (trx) => {
        const row = await usableLinkToken(trx, token, 'verify-email', now, VERIFY_TEXTS);
        await spendLinkToken(trx, row, now, VERIFY_TEXTS.afterUse);
        const p = JSON.parse(row.payload!) as PendingSignup;
        const clash = await trx
          .selectFrom('account')
          .select(['patient_id', 'username', 'email'])
          .where((eb) =>
            eb.or([eb('patient_id', '=', p.patientId), eb('username', '=', p.username), eb('email', '=', p.email)]),
          )
          .executeTakeFirst();
        if (clash) {
          const what =
            clash.patient_id === p.patientId
              ? 'This health record already has an account.'
              : clash.username === p.username
                ? 'That username was taken meanwhile.'
                : 'That email address already has an account.';
          throw new ApiError(409, 'signup_conflict', `${what} Please sign in, or sign up again with other details.`);
        }
        if (p.activationTokenHash) {
          const code = await trx
            .updateTable('one_time_token')
            .set({ used_at: now.toISOString() })
            .where('hash', '=', p.activationTokenHash)
            .where('used_at', 'is', null)
            .where('expires_at', '>', now.toISOString())
            .executeTakeFirst();
          if (Number(code.numUpdatedRows) !== 1)
            throw new ApiError(
              410,
              'code_used',
              'The activation code has been used or has expired. Please ask the clinic for a new one.',
            );
        }
        const patient = (await getResource(trx, 'Patient', p.patientId))?.resource as Patient | undefined;
        const displayName = patientDisplayName(patient, p.username, { firstGivenOnly: true });
        const created = await createAccount(
          trx,
          {
            kind: 'patient',
            patientId: p.patientId,
            username: p.username,
            email: p.email,
            displayName,
            passwordHash: p.passwordHash,
            phone: p.phone,
            notifyPrefs: p.notify,
          },
          now,
        );
        await trx
          .updateTable('account')
          .set({ email_verified_at: now.toISOString() })
          .where('id', '=', created.id)
          .execute();
        await appendAudit(
          trx,
          {
            actor: created.id,
            onBehalfOf: p.patientId,
            action: 'signup.verified',
            outcome: 'success',
            ip: clientIp(c),
          },
          now,
        );
        return created;
      }).catch((error: unknown) => {
        // Two confirmations racing for the same record, username or email: the second loses here.
        if (isUniqueViolation(error))
          throw new ApiError(
            409,
            'signup_conflict',
            'This record, username or email address already has an account. Please sign in, or sign up again with other details.',
          );
        throw error;
      });
      return c.json(
        {
          status: 'account-ready',
          username: account.username,
          message: 'Your email is confirmed and your account is ready. You can sign in now.',
        },
        201,
      );
    });
}
