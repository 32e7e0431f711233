import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../deps.js';
import { appendAudit } from '../../audit/log.js';
import { factorChanged } from '../../auth/factor-changes.js';
import { factorSummary, hasSecondFactor, passkeyView } from '../../auth/factors.js';
import {
  PasskeyRejected,
  registrationOptions,
  registrationResponseSchema,
  relyingParty,
  takeChallenge,
  verifyRegistration,
} from '../../auth/webauthn.js';
import { ApiError } from '../../errors.js';
import { jsonBody } from '../../http/json-body.js';
import { authOf, clientIp, requireFreshAuth, requireSession } from '../../http/require-session.js';
import { isUniqueViolation } from '../../store/store.js';
import { spendSetUpLinks } from '../../auth/link-tokens.js';

const passkeyName = z
  .string()
  .trim()
  .min(1, 'Give the passkey a name, such as "My phone".')
  .max(64, 'A passkey name has at most 64 characters.');

/** Two registrations of the same credential racing: the loser gets 409, not a 500. */
async function insertPasskey(insert: Promise<unknown>): Promise<void> {
  try {
    await insert;
  } catch (error) {
    if (isUniqueViolation(error)) throw new ApiError(409, 'passkey_exists', 'This passkey is already registered.');
    throw error;
  }
}

/** Staff add passkeys from their set-up session (the first) or a passkey session (more): never on a password alone. */
function refuseStaffWithoutEnrol(c: Context<AppEnv>) {
  const { account, session } = authOf(c);
  if (account.kind === 'staff' && session.auth_level !== 'enrol' && session.auth_level !== 'passkey') {
    throw new ApiError(
      403,
      'passkey_required',
      'Staff add passkeys from their set-up link, or signed in with a passkey.',
    );
  }
}

/** `/api/factors/passkeys`: add (options, then the authenticator's answer), rename, remove. Staff keep at least one. */
export function passkeyRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const rp = () => relyingParty(config.publicOrigin, config.clinic.name);
  const signedIn = requireSession(deps, { staffWithoutPasskey: true });
  const fresh = requireFreshAuth(deps);

  return new Hono<AppEnv>()
    .post('/options', signedIn, fresh, async (c) => {
      const { account } = authOf(c);
      refuseStaffWithoutEnrol(c);
      const { passkeys } = await factorSummary(store.db, account.id);
      return c.json(await registrationOptions(store.db, rp(), account, passkeys, clock.now()));
    })
    .post(
      '/',
      signedIn,
      fresh,
      jsonBody(z.object({ name: passkeyName, response: registrationResponseSchema }).strict()),
      async (c) => {
        const body = c.req.valid('json');
        const { account } = authOf(c);
        refuseStaffWithoutEnrol(c);
        const now = clock.now();
        const had = hasSecondFactor(await factorSummary(store.db, account.id));
        const { challenge } = await takeChallenge(
          store.db,
          body.response.response.clientDataJSON,
          { ceremony: 'registration', accountId: account.id, use: 'register' },
          now,
        );
        let created;
        try {
          created = await verifyRegistration(rp(), body.response, challenge);
        } catch (error) {
          if (!(error instanceof PasskeyRejected)) throw error;
          await appendAudit(
            store.db,
            {
              actor: account.id,
              action: 'passkey.add-failed',
              outcome: 'failure',
              ip: clientIp(c),
              detail: error.message.slice(0, 200),
            },
            now,
          );
          throw new ApiError(
            400,
            'passkey_rejected',
            'This passkey could not be checked, so it was not added. Please try again.',
          );
        }
        const exists = await store.db
          .selectFrom('webauthn_credential')
          .select('id')
          .where('id', '=', created.id)
          .executeTakeFirst();
        if (exists) throw new ApiError(409, 'passkey_exists', 'This passkey is already registered.');
        await insertPasskey(
          store.db
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
            .execute(),
        );
        // A staff member's set-up link has done its work once a passkey exists (server/routes/staff-enrol.ts).
        if (account.kind === 'staff') await spendSetUpLinks(store.db, account.id, now);
        const extra = await factorChanged(deps, account, clientIp(c), {
          action: 'passkey.added',
          subject: 'A passkey was added',
          sentence: `A passkey named "${body.name}" was added to your portal account.`,
          hadFactor: had,
          target: body.name,
        });
        const row = await store.db
          .selectFrom('webauthn_credential')
          .selectAll()
          .where('id', '=', created.id)
          .executeTakeFirstOrThrow();
        return c.json({ passkey: passkeyView(row), ...extra }, 201);
      },
    )
    .patch('/:id', signedIn, jsonBody(z.object({ name: passkeyName }).strict()), async (c) => {
      const { name } = c.req.valid('json');
      const { account } = authOf(c);
      const result = await store.db
        .updateTable('webauthn_credential')
        .set({ name })
        .where('id', '=', c.req.param('id'))
        .where('account_id', '=', account.id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1)
        throw new ApiError(404, 'not_found', 'That passkey is not on your account.');
      await appendAudit(
        store.db,
        { actor: account.id, action: 'passkey.renamed', outcome: 'success', ip: clientIp(c), target: name },
        clock.now(),
      );
      return c.json({ name });
    })
    .delete('/:id', signedIn, fresh, async (c) => {
      const { account } = authOf(c);
      const row = await store.db
        .selectFrom('webauthn_credential')
        .select(['id', 'name'])
        .where('id', '=', c.req.param('id'))
        .where('account_id', '=', account.id)
        .executeTakeFirst();
      if (!row) throw new ApiError(404, 'not_found', 'That passkey is not on your account.');
      if (account.kind === 'staff' && (await factorSummary(store.db, account.id)).passkeys.length <= 1) {
        throw new ApiError(
          409,
          'last_passkey',
          'Staff must keep at least one passkey. Add the new one before removing this one.',
        );
      }
      await store.db.deleteFrom('webauthn_credential').where('id', '=', row.id).execute();
      await factorChanged(deps, account, clientIp(c), {
        action: 'passkey.removed',
        subject: 'A passkey was removed',
        sentence: `The passkey named "${row.name}" was removed from your portal account. It can no longer be used to sign in.`,
        hadFactor: true,
        target: row.name,
      });
      return c.body(null, 204);
    });
}
