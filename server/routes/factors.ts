import { Hono, type Context } from 'hono';
import { z } from 'zod';
import QRCode from 'qrcode';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { factorSummary, hasSecondFactor, passkeyView, replaceRecoveryCodes } from '../auth/factors.js';
import { clearFailures, reserveAttempt } from '../auth/login-throttle.js';
import { checkSmsCode, createFlow, loadFlow, sendSmsCode, spendFlow, tellHolder } from '../auth/second-factor.js';
import { newTotpSecret, totpUri, verifyTotp } from '../auth/totp.js';
import { PasskeyRejected, registrationOptions, registrationResponseSchema, relyingParty, takeChallenge, verifyRegistration } from '../auth/webauthn.js';
import { ApiError } from '../errors.js';
import { readJsonBody } from '../http/json-body.js';
import { authOf, clientIp, requireFreshAuth, requireSession } from '../http/require-session.js';
import { maskPhone, normalizePhone } from '../notify/sms.js';
import { isUniqueViolation, withTransaction } from '../store/store.js';

/** Two registrations of the same credential racing: the loser gets 409, not a 500. */
async function insertPasskey(insert: Promise<unknown>): Promise<void> {
  try {
    await insert;
  } catch (error) {
    if (isUniqueViolation(error)) throw new ApiError(409, 'passkey_exists', 'This passkey is already registered.');
    throw error;
  }
}
import type { Account } from '../auth/sessions.js';

const passkeyName = z.string().trim().min(1, 'Give the passkey a name, such as "My phone".').max(64, 'A passkey name has at most 64 characters.');
/** An unconfirmed app secret must be confirmed within this time, or set up again. */
const TOTP_SETUP_MS = 15 * 60_000;

/**
 * `/api/factors`: the account's ways of proving itself ([4/8]), for Account → Security. Adding or removing any of
 * them, and new recovery codes, need a fresh authentication (step-up, 5 minutes). Each change is audited and the
 * account holder is emailed. The first second factor of a patient comes with ten recovery codes, shown once.
 * Staff use passkeys only (and may add one before anything else is open to them).
 */
export function factorRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const rp = () => relyingParty(config.publicOrigin, config.clinic.name);
  const signedIn = requireSession(deps, { staffWithoutPasskey: true });
  const fresh = requireFreshAuth(deps);
  const patientsOnly = async (c: Context<AppEnv>, next: () => Promise<void>) => {
    if (authOf(c).account.kind === 'staff') throw new ApiError(403, 'staff_passkeys_only', 'Staff accounts use passkeys only.');
    await next();
  };

  /** Staff add passkeys from their set-up session (the first) or a passkey session (more): never on a password alone. */
  const refuseStaffWithoutEnrol = (c: Context<AppEnv>) => {
    const { account, session } = authOf(c);
    if (account.kind === 'staff' && session.auth_level !== 'enrol' && session.auth_level !== 'passkey') {
      throw new ApiError(403, 'passkey_required', 'Staff add passkeys from their set-up link, or signed in with a passkey.');
    }
  };

  /** Audit, email, and (for a patient's first second factor) ten recovery codes to show once. */
  const changed = async (c: Context<AppEnv>, account: Account, action: string, subject: string, sentence: string, hadFactor: boolean, target?: string) => {
    const now = clock.now();
    await appendAudit(store.db, { actor: account.id, action, outcome: 'success', ip: clientIp(c), ...(target ? { target } : {}) }, now);
    tellHolder(deps, account, subject, sentence);
    if (hadFactor || account.kind === 'staff') return {};
    const factors = await factorSummary(store.db, account.id);
    if (!hasSecondFactor(factors) || factors.recoveryCodesLeft > 0) return {};
    const recoveryCodes = await replaceRecoveryCodes(store.db, account.id, now);
    await appendAudit(store.db, { actor: account.id, action: 'recovery-codes.created', outcome: 'success', ip: clientIp(c) }, now);
    return { recoveryCodes };
  };

  return new Hono<AppEnv>()
    .get('/', signedIn, async (c) => {
      const { account } = authOf(c);
      const f = await factorSummary(store.db, account.id);
      return c.json({
        passkeys: f.passkeys.map(passkeyView),
        totp: f.totp,
        sms: f.smsPhone ? { to: maskPhone(f.smsPhone) } : null,
        recoveryCodesLeft: f.recoveryCodesLeft,
        staff: account.kind === 'staff',
      });
    })

    // Passkeys
    .post('/passkeys/options', signedIn, fresh, async (c) => {
      const { account } = authOf(c);
      refuseStaffWithoutEnrol(c);
      const { passkeys } = await factorSummary(store.db, account.id);
      return c.json(await registrationOptions(store.db, rp(), account, passkeys, clock.now()));
    })
    .post('/passkeys', signedIn, fresh, async (c) => {
      const body = await readJsonBody(c, z.object({ name: passkeyName, response: registrationResponseSchema }).strict());
      const { account } = authOf(c);
      refuseStaffWithoutEnrol(c);
      const now = clock.now();
      const had = hasSecondFactor(await factorSummary(store.db, account.id));
      const { challenge } = await takeChallenge(store.db, body.response.response.clientDataJSON, { ceremony: 'registration', accountId: account.id, use: 'register' }, now);
      let created;
      try {
        created = await verifyRegistration(rp(), body.response, challenge);
      } catch (error) {
        if (!(error instanceof PasskeyRejected)) throw error;
        await appendAudit(store.db, { actor: account.id, action: 'passkey.add-failed', outcome: 'failure', ip: clientIp(c), detail: error.message.slice(0, 200) }, now);
        throw new ApiError(400, 'passkey_rejected', 'This passkey could not be checked, so it was not added. Please try again.');
      }
      const exists = await store.db.selectFrom('webauthn_credential').select('id').where('id', '=', created.id).executeTakeFirst();
      if (exists) throw new ApiError(409, 'passkey_exists', 'This passkey is already registered.');
      await insertPasskey(store.db
        .insertInto('webauthn_credential')
        .values({
          id: created.id,
          account_id: account.id,
          name: body.name,
          public_key: created.publicKey,
          counter: created.counter,
          transports: JSON.stringify(created.transports),
          device_type: created.deviceType,
          backed_up: created.backedUp ? 1 : 0,
          prf: created.prf ? 1 : 0,
          aaguid: created.aaguid,
          created_at: now.toISOString(),
          last_used_at: null,
          counter_flagged_at: null,
          prev_counter: 0,
          counter_at: null,
        })
        .execute());
      const extra = await changed(c, account, 'passkey.added', 'A passkey was added', `A passkey named "${body.name}" was added to your portal account.`, had, body.name);
      const row = await store.db.selectFrom('webauthn_credential').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
      return c.json({ passkey: passkeyView(row), ...extra }, 201);
    })
    .patch('/passkeys/:id', signedIn, async (c) => {
      const { name } = await readJsonBody(c, z.object({ name: passkeyName }).strict());
      const { account } = authOf(c);
      const result = await store.db.updateTable('webauthn_credential').set({ name }).where('id', '=', c.req.param('id')).where('account_id', '=', account.id).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new ApiError(404, 'not_found', 'That passkey is not on your account.');
      await appendAudit(store.db, { actor: account.id, action: 'passkey.renamed', outcome: 'success', ip: clientIp(c), target: name }, clock.now());
      return c.json({ name });
    })
    .delete('/passkeys/:id', signedIn, fresh, async (c) => {
      const { account } = authOf(c);
      const row = await store.db.selectFrom('webauthn_credential').select(['id', 'name']).where('id', '=', c.req.param('id')).where('account_id', '=', account.id).executeTakeFirst();
      if (!row) throw new ApiError(404, 'not_found', 'That passkey is not on your account.');
      if (account.kind === 'staff' && (await factorSummary(store.db, account.id)).passkeys.length <= 1) {
        throw new ApiError(409, 'last_passkey', 'Staff must keep at least one passkey. Add the new one before removing this one.');
      }
      await store.db.deleteFrom('webauthn_credential').where('id', '=', row.id).execute();
      await changed(c, account, 'passkey.removed', 'A passkey was removed', `The passkey named "${row.name}" was removed from your portal account. It can no longer be used to sign in.`, true, row.name);
      return c.body(null, 204);
    })

    // Authenticator app (TOTP)
    .post('/totp', signedIn, patientsOnly, fresh, async (c) => {
      const { account } = authOf(c);
      const now = clock.now();
      const existing = await store.db.selectFrom('totp_factor').select('confirmed_at').where('account_id', '=', account.id).executeTakeFirst();
      if (existing?.confirmed_at) throw new ApiError(409, 'already_set_up', 'An authenticator app is already set up. Remove it first to set up another.');
      const secret = newTotpSecret();
      await store.db.deleteFrom('totp_factor').where('account_id', '=', account.id).execute();
      await store.db.insertInto('totp_factor').values({ account_id: account.id, secret, created_at: now.toISOString(), confirmed_at: null, last_step: null }).execute();
      const uri = totpUri(secret, config.clinic.name, account.username);
      const qr = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 256 });
      return c.json({ secret, uri, qr });
    })
    .post('/totp/confirm', signedIn, patientsOnly, async (c) => {
      const { code } = await readJsonBody(c, z.object({ code: z.string().max(64) }).strict());
      const { account } = authOf(c);
      const now = clock.now();
      const row = await store.db.selectFrom('totp_factor').selectAll().where('account_id', '=', account.id).executeTakeFirst();
      if (!row || row.confirmed_at) throw new ApiError(409, 'not_started', 'Start setting up the authenticator app first.');
      if (now.getTime() - Date.parse(row.created_at) > TOTP_SETUP_MS) throw new ApiError(410, 'setup_expired', 'Setting up took too long. Please start again: you will get a new QR code.');
      const key = `totp:${account.id}`;
      const verdict = await reserveAttempt(store, key, now);
      if (!verdict.allowed) {
        await appendAudit(store.db, { actor: account.id, action: 'totp.confirm-throttled', outcome: 'throttled', ip: clientIp(c) }, now);
        throw new ApiError(429, 'too_many_attempts', 'Too many wrong codes. Please wait a minute and try again.');
      }
      const result = verifyTotp(row.secret, code, now, null);
      if (!result.ok) {
        await appendAudit(store.db, { actor: account.id, action: 'totp.confirm-failed', outcome: 'failure', ip: clientIp(c), detail: result.reason }, now);
        throw new ApiError(result.reason === 'format' ? 400 : 401, result.reason === 'format' ? 'code_format' : 'code_wrong',
          result.reason === 'format' ? 'The code from your authenticator app is 6 digits.' : 'That code is not right. Check that the app shows this account, and type the code it shows now.');
      }
      const had = hasSecondFactor(await factorSummary(store.db, account.id));
      await store.db.updateTable('totp_factor').set({ confirmed_at: now.toISOString(), last_step: result.step }).where('account_id', '=', account.id).execute();
      await clearFailures(store.db, key);
      const extra = await changed(c, account, 'totp.added', 'An authenticator app was set up', 'An authenticator app was set up for signing in to your portal account.', had);
      return c.json({ totp: true, ...extra });
    })
    .delete('/totp', signedIn, patientsOnly, fresh, async (c) => {
      const { account } = authOf(c);
      const result = await store.db.deleteFrom('totp_factor').where('account_id', '=', account.id).where('confirmed_at', 'is not', null).executeTakeFirst();
      if (Number(result.numDeletedRows) !== 1) throw new ApiError(404, 'not_found', 'No authenticator app is set up.');
      await changed(c, account, 'totp.removed', 'An authenticator app was removed', 'The authenticator app was removed from your portal account. Its codes no longer work.', true);
      return c.body(null, 204);
    })

    // Text-message codes (restricted: offered beside a passkey or app)
    .post('/sms', signedIn, patientsOnly, fresh, async (c) => {
      const { phone: typed } = await readJsonBody(c, z.object({ phone: z.string().max(40) }).strict());
      const phone = normalizePhone(typed);
      if (!phone) throw new ApiError(400, 'phone_invalid', 'Enter the mobile number with its country code, starting with +, for example +1 507 555 0123.', [{ path: 'phone', message: 'Start with + and the country code.' }]);
      const { account } = authOf(c);
      const flowToken = await createFlow(store.db, account.id, { purpose: 'sms-enrol', phone }, clock.now());
      const flow = await loadFlow(store.db, flowToken, ['sms-enrol'], clock.now());
      await sendSmsCode(deps, flow, phone, clientIp(c));
      return c.json({ flow: flowToken, to: maskPhone(phone), message: `We sent a code to ${maskPhone(phone)}. Type it below to confirm the number.` });
    })
    .post('/sms/confirm', signedIn, patientsOnly, async (c) => {
      const body = await readJsonBody(c, z.object({ flow: z.string().min(20).max(100), code: z.string().max(64) }).strict());
      const { account } = authOf(c);
      const now = clock.now();
      const flow = await loadFlow(store.db, body.flow, ['sms-enrol'], now);
      if (flow.accountId !== account.id || !flow.payload.phone) throw new ApiError(400, 'flow_invalid', 'This step is not valid any more. Please start again.');
      const key = `sms:${account.id}`;
      const verdict = await reserveAttempt(store, key, now);
      if (!verdict.allowed) throw new ApiError(429, 'too_many_attempts', 'Too many wrong codes. Please wait a minute and try again.');
      const result = await checkSmsCode(store.db, flow, body.code, now);
      if (result !== 'ok') {
        await appendAudit(store.db, { actor: account.id, action: 'sms.confirm-failed', outcome: 'failure', ip: clientIp(c), detail: result }, now);
        throw new ApiError(result === 'format' ? 400 : result === 'expired' ? 410 : 401, `code_${result}`,
          result === 'format' ? 'The code in the text message is 6 digits.' : result === 'expired' ? 'That code has expired. Ask for a new one.' : 'That code is not right. Check the latest text message.');
      }
      await spendFlow(store.db, flow, now);
      await clearFailures(store.db, key);
      await clearFailures(store.db, `sms-send:${account.id}`);
      const had = hasSecondFactor(await factorSummary(store.db, account.id));
      const phone = flow.payload.phone;
      await withTransaction(store, async (trx) => {
        await trx.deleteFrom('sms_factor').where('account_id', '=', account.id).execute();
        await trx.insertInto('sms_factor').values({ account_id: account.id, phone, created_at: now.toISOString(), confirmed_at: now.toISOString() }).execute();
      });
      const extra = await changed(c, account, 'sms.added', 'Text-message codes were set up', `Text-message codes to ${maskPhone(phone)} were set up for signing in to your portal account.`, had);
      return c.json({ sms: { to: maskPhone(phone) }, ...extra });
    })
    .delete('/sms', signedIn, patientsOnly, fresh, async (c) => {
      const { account } = authOf(c);
      const result = await store.db.deleteFrom('sms_factor').where('account_id', '=', account.id).executeTakeFirst();
      if (Number(result.numDeletedRows) !== 1) throw new ApiError(404, 'not_found', 'Text-message codes are not set up.');
      await changed(c, account, 'sms.removed', 'Text-message codes were turned off', 'Text-message codes were turned off for your portal account.', true);
      return c.body(null, 204);
    })

    // Recovery codes
    .post('/recovery-codes', signedIn, patientsOnly, fresh, async (c) => {
      const { account } = authOf(c);
      if (!hasSecondFactor(await factorSummary(store.db, account.id))) throw new ApiError(409, 'no_second_factor', 'Recovery codes come with a passkey, an authenticator app or text codes. Set up one of those first.');
      const now = clock.now();
      const recoveryCodes = await replaceRecoveryCodes(store.db, account.id, now);
      await appendAudit(store.db, { actor: account.id, action: 'recovery-codes.created', outcome: 'success', ip: clientIp(c), detail: 'regenerated' }, now);
      tellHolder(deps, account, 'New recovery codes were made', 'New recovery codes were made for your portal account. The old ones no longer work.');
      return c.json({ recoveryCodes }, 201);
    });
}
