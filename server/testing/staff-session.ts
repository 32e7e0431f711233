import type { TestApp } from './app.js';
import { SoftAuthenticator } from './soft-authenticator.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';

/** A staff set-up link (as `npm run cli -- staff create` mails it) for an account, valid 7 days from `now`. */
export async function insertSetUpLink(t: Pick<TestApp, 'testStore'>, accountId: string, now: Date): Promise<string> {
  const link = newToken();
  await t.testStore.store.db
    .insertInto('one_time_token')
    .values({
      hash: hashToken(link),
      purpose: 'staff-enrol',
      account_id: accountId,
      patient_id: null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
      used_at: null,
      payload: null,
    })
    .execute();
  return link;
}

/**
 * A staff session the way staff really get one ([4/8]: staff must use passkeys): the set-up link (a session that
 * may only add the first passkey), register a software passkey, confirm with it. Returns the session cookie.
 */
export async function staffPasskeySession(t: TestApp, login: string, password: string): Promise<string> {
  const account = await t.testStore.store.db
    .selectFrom('account')
    .select('id')
    .where('username', '=', login)
    .executeTakeFirstOrThrow();
  const link = await insertSetUpLink(t, account.id, new Date());
  const headers = {
    Origin: t.config.publicOrigin,
    'X-Requested-With': 'mayocarelink',
    'Content-Type': 'application/json',
  };
  const post = async (path: string, body: unknown, cookie?: string) => {
    const res = await t.app.request(path, {
      method: 'POST',
      headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return { json: (await res.json()) as any, cookie: res.headers.get('set-cookie')?.split(';')[0] };
  };
  const key = new SoftAuthenticator(t.config.publicOrigin);
  const first = await post('/api/staff-enrol', { token: link, username: login, password });
  const options = await post('/api/factors/passkeys/options', {}, first.cookie);
  await post('/api/factors/passkeys', { name: 'Test key', response: key.register(options.json) }, first.cookie);
  const challenge = await post('/api/session/reauth/passkey-options', {}, first.cookie);
  const confirmed = await post(
    '/api/session/reauth/passkey',
    { response: key.authenticate(challenge.json) },
    first.cookie,
  );
  return confirmed.cookie!;
}

/**
 * A staff account of `role` (`username@clinic.example`, email confirmed) with a software passkey, and its session
 * cookie (a fresh sign-in, as after `staffPasskeySession`).
 */
export async function staffMember(
  t: TestApp,
  username: string,
  role: 'clinician' | 'helpdesk' | 'admin',
  password: string,
  now: Date,
  displayName = username,
): Promise<string> {
  const db = t.testStore.store.db;
  const a = await createAccount(
    db,
    {
      kind: 'staff',
      username,
      email: `${username}@clinic.example`,
      displayName,
      role,
      passwordHash: await hashPassword(password),
    },
    now,
  );
  await db.updateTable('account').set({ email_verified_at: now.toISOString() }).where('id', '=', a.id).execute();
  return staffPasskeySession(t, username, password);
}

/** A clinician account (`username`, the given password) signed in with a software passkey; returns the cookie. */
export function clinicianSession(t: TestApp, username: string, password: string, now: Date): Promise<string> {
  return staffMember(t, username, 'clinician', password, now, `Dr ${username}`);
}
