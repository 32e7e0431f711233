import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { normalizeEmail } from '../auth/accounts.js';
import { spendLinkToken, usableLinkToken } from '../auth/link-tokens.js';
import { tellHolder } from '../auth/holder-notice.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { ApiError } from '../errors.js';
import { jsonBody } from '../http/json-body.js';
import { authOf, clientIp, requireFreshAuth, requireSession } from '../http/require-session.js';
import { sendInBackground } from '../notify/mailer.js';
import { maskPhone } from '../notify/sms.js';
import { normalizePhone } from '../../common/phone.js';
import { readNotifyPrefs } from '../../common/notify-topics.js';
import { isUniqueViolation, withTransaction } from '../store/store.js';
import { notifySchema } from '../../common/signup-schema.js';

const DAY = 24 * 3600_000;
const CHANGE_TEXTS = {
  renew: 'or ask for the change again in Account → Security',
  lifetime: '24 hours',
  afterUse: 'Your email address is already changed.',
};

/** `a•••@example.com`: enough for the holder to recognise, in mail to the old address. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
}

/**
 * `/api/account`: the account's contact details and notification choices. Changing the email address or the
 * mobile number needs a fresh authentication (step-up, SECURITY.md) and tells the holder; a new email address is
 * used only once its owner opens the link sent to it (single use, 24 hours, stored hashed), and the old address is
 * told. Notification choices need no step-up.
 */
export function accountRoutes(deps: AppDeps) {
  const { store, clock, config, mailer, logger } = deps;
  const signedIn = requireSession(deps);
  const fresh = requireFreshAuth(deps);

  return new Hono<AppEnv>()
    .get('/', signedIn, (c) => {
      const { account } = authOf(c);
      return c.json({
        email: account.email,
        phone: account.phone,
        notify: readNotifyPrefs(account.notify_prefs),
      });
    })
    .put('/notifications', signedIn, jsonBody(z.object({ notify: notifySchema }).strict()), async (c) => {
      const { notify } = c.req.valid('json');
      const { account } = authOf(c);
      await store.db
        .updateTable('account')
        .set({ notify_prefs: JSON.stringify(notify) })
        .where('id', '=', account.id)
        .execute();
      await appendAudit(
        store.db,
        { actor: account.id, action: 'account.notifications-changed', outcome: 'success', ip: clientIp(c) },
        clock.now(),
      );
      return c.json({ notify });
    })
    .put('/phone', signedIn, fresh, jsonBody(z.object({ phone: z.string().max(40) }).strict()), async (c) => {
      const { phone: typed } = c.req.valid('json');
      const phone = typed.trim() === '' ? null : normalizePhone(typed);
      if (phone === undefined)
        throw new ApiError(
          400,
          'phone_invalid',
          'Enter the mobile number with its country code, starting with +, for example +1 507 555 0123.',
          [{ path: 'phone', message: 'Start with + and the country code.' }],
        );
      const { account } = authOf(c);
      await store.db.updateTable('account').set({ phone }).where('id', '=', account.id).execute();
      await appendAudit(
        store.db,
        {
          actor: account.id,
          action: 'account.phone-changed',
          outcome: 'success',
          ip: clientIp(c),
          detail: phone ? maskPhone(phone) : 'removed',
        },
        clock.now(),
      );
      tellHolder(
        deps,
        account,
        'Your mobile number was changed',
        phone
          ? `The mobile number for text alerts on your portal account is now ${maskPhone(phone)}.`
          : 'The mobile number for text alerts was removed from your portal account.',
      );
      return c.json({
        phone,
        message: phone ? `Text alerts now go to ${maskPhone(phone)}.` : 'Mobile number removed.',
      });
    })
    .post(
      '/email',
      signedIn,
      fresh,
      jsonBody(z.object({ email: z.email('Enter an email address such as name@example.com.').max(254) }).strict()),
      async (c) => {
        const { email: typed } = c.req.valid('json');
        const email = normalizeEmail(typed);
        const { account } = authOf(c);
        const now = clock.now();
        if (email === account.email)
          throw new ApiError(400, 'same_email', 'That is already the email address of your account.');
        const taken = await store.db.selectFrom('account').select('id').where('email', '=', email).executeTakeFirst();
        if (taken) {
          // The same answer as for a free address (no enumeration); the address's owner is told instead.
          sendInBackground(mailer, logger, {
            to: email,
            subject: `Your email address was entered at ${config.clinic.name}`,
            text: 'Someone tried to move another portal account to this email address, which already has an account. Nothing was changed.',
          });
        } else {
          const token = newToken();
          await store.db
            .insertInto('one_time_token')
            .values({
              hash: hashToken(token),
              purpose: 'change-email',
              account_id: account.id,
              patient_id: null,
              created_at: now.toISOString(),
              expires_at: new Date(now.getTime() + DAY).toISOString(),
              used_at: null,
              payload: JSON.stringify({ email }),
            })
            .execute();
          sendInBackground(mailer, logger, {
            to: email,
            subject: `Confirm your new email address for ${config.clinic.name}`,
            text: `To use this address for your portal account, open this link within 24 hours:\n\n${config.publicOrigin}/confirm-email#token=${token}\n\nIf you did not ask for this, ignore this email.`,
          });
        }
        await appendAudit(
          store.db,
          { actor: account.id, action: 'account.email-change-requested', outcome: 'success', ip: clientIp(c) },
          now,
        );
        tellHolder(
          deps,
          account,
          'A change of email address was asked for',
          `Someone signed in to your portal account asked to change its email address to ${maskEmail(email)}. Nothing changes until the link sent there is opened.`,
        );
        return c.json({ message: `We sent a link to ${email}. Open it within 24 hours to finish the change.` }, 202);
      },
    )
    .post('/email/confirm', jsonBody(z.object({ token: z.string().min(20).max(100) }).strict()), async (c) => {
      const { token } = c.req.valid('json');
      const now = clock.now();
      const { account, email } = await withTransaction(store, async (trx) => {
        const row = await usableLinkToken(trx, token, 'change-email', now, CHANGE_TEXTS);
        await spendLinkToken(trx, row, now, CHANGE_TEXTS.afterUse);
        const { email } = JSON.parse(row.payload!) as { email: string };
        const account = await trx
          .selectFrom('account')
          .selectAll()
          .where('id', '=', row.account_id!)
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('account')
          .set({ email, email_verified_at: now.toISOString() })
          .where('id', '=', account.id)
          .execute();
        await appendAudit(
          trx,
          { actor: account.id, action: 'account.email-changed', outcome: 'success', ip: clientIp(c) },
          now,
        );
        return { account, email };
      }).catch((error: unknown) => {
        if (isUniqueViolation(error))
          throw new ApiError(
            409,
            'email_taken',
            'That email address now belongs to another account, so it could not be used.',
          );
        throw error;
      });
      tellHolder(
        deps,
        account,
        'Your email address was changed',
        `The email address of your portal account was changed to ${maskEmail(email)}. Mail now goes there.`,
      );
      return c.json({ email, message: 'Your new email address is confirmed. Mail now goes there.' });
    });
}
