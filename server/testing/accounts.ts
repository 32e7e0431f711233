import type { Store } from '../store/store.js';
import type { TestApp } from './app.js';
import { createAccount } from '../auth/accounts.js';
import type { Account } from '../auth/sessions.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';

/** A patient account for `patientId` whose email is already confirmed (as after sign-up), `username@example.com`. */
export async function verifiedPatient(
  store: Pick<Store, 'db'>,
  username: string,
  patientId: string,
  passwordHash: string,
  now: Date,
): Promise<Account> {
  const a = await createAccount(
    store.db,
    { kind: 'patient', username, email: `${username}@example.com`, displayName: username, passwordHash, patientId },
    now,
  );
  await store.db.updateTable('account').set({ email_verified_at: now.toISOString() }).where('id', '=', a.id).execute();
  return a;
}

/** Signs in with a password (no second factor set up) and returns the session cookie, `name=value`. */
export async function passwordCookie(
  t: Pick<TestApp, 'app' | 'config'>,
  login: string,
  password: string,
): Promise<string> {
  const res = await t.app.request('/api/session', {
    method: 'POST',
    headers: { Origin: t.config.publicOrigin, [CSRF_HEADER]: CSRF_HEADER_VALUE, 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}
