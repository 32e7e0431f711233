import assert from 'node:assert/strict';
import type { TestApp } from './app.js';
import { verifiedPatient } from './accounts.js';
import { createAccount } from '../auth/accounts.js';
import { hashPassword } from '../auth/password-hash.js';
import type { Account } from '../auth/sessions.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { putResources } from '../store/resources.js';
import { withTransaction, type Store } from '../store/store.js';
import { readOutbox, type ReadMail } from './mail.js';

// Test helpers for caregivers ([3/11]): people with records and accounts, requests as one of them, the link in an
// invitation.

export const PASSWORD = 'correct horse battery staple';
type Json = Record<string, any>;

/** Requests as one person or another (cookies by name), over one app. */
export function caller(t: TestApp, cookies: Record<string, string>) {
  return async (method: string, path: string, body?: unknown, who?: string) => {
    const res = await t.app.request(path, {
      method,
      headers: {
        Origin: t.config.publicOrigin,
        [CSRF_HEADER]: CSRF_HEADER_VALUE,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(who ? { Cookie: cookies[who]! } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : {}) as Json,
      cookie: res.headers.get('set-cookie')?.split(';')[0],
    };
  };
}

/** Two patients with records (Ada, 66; Bea), each with an account, and a child's record (Kit, 12 on 26 November). */
export async function seedPeople(store: Store, now: Date): Promise<Record<string, Account>> {
  await withTransaction(store, (trx) =>
    putResources(
      trx,
      store.dialect,
      [
        {
          resourceType: 'Patient',
          id: 'pat-ada',
          name: [{ given: ['Ada'], family: 'Lovelace' }],
          birthDate: '1960-01-01',
        },
        {
          resourceType: 'Patient',
          id: 'pat-bea',
          name: [{ given: ['Bea'], family: 'Stone' }],
          birthDate: '1990-05-05',
        },
        {
          resourceType: 'Patient',
          id: 'pat-kit',
          name: [{ given: ['Kit'], family: 'Stone' }],
          birthDate: '2014-11-26',
        },
      ],
      now,
    ),
  );
  const hash = await hashPassword(PASSWORD);
  const out: Record<string, Account> = {};
  for (const [username, patientId] of [
    ['ada', 'pat-ada'],
    ['bea', 'pat-bea'],
  ] as const) {
    const a = await verifiedPatient(store, username, patientId, hash, now);
    out[username] = a;
  }
  return out;
}

export const linkToken = (mail: ReadMail) => /\/caregiver-invite#token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;

/** Signs `who` in with a password (no second factor set up) and keeps the cookie. */
export async function signIn(
  call: ReturnType<typeof caller>,
  cookies: Record<string, string>,
  who: string,
  password = PASSWORD,
): Promise<Json> {
  const res = await call('POST', '/api/session', { login: who, password });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  cookies[who] = res.cookie!;
  return res.body;
}

/**
 * Waits until a mail to `to` (by default: an invitation) has arrived, mail going out in the background, and
 * returns the newest such.
 */
export async function mailTo(
  dataDir: string,
  to: string,
  subject = /invited you/,
  timeoutMs = 15_000,
): Promise<ReadMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await readOutbox(dataDir)).filter((m) => m.to === to && subject.test(m.subject)).at(-1);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A caregiver grant written straight into the table (what sharing + accepting leave behind), live unless told. */
export async function insertGrant(
  store: Pick<Store, 'db'>,
  grant: {
    id: string;
    patientId: string;
    caregiver: Account;
    scopes: readonly string[];
    kind?: 'caregiver' | 'guardian';
    /** The name the patient or the care team gave them (default: the account's own). */
    name?: string;
    endsAt?: string | null;
    revokedAt?: string | null;
    createdBy?: string;
    /** When it was made and accepted (default: a day before `now`). */
    at?: Date;
  },
  now: Date,
): Promise<void> {
  const at = (grant.at ?? new Date(now.getTime() - 86_400_000)).toISOString();
  await store.db
    .insertInto('caregiver_grant')
    .values({
      id: grant.id,
      patient_id: grant.patientId,
      caregiver_account_id: grant.caregiver.id,
      invited_email: grant.kind === 'guardian' ? null : grant.caregiver.email,
      invited_name: grant.name ?? grant.caregiver.display_name,
      kind: grant.kind ?? 'caregiver',
      scopes: JSON.stringify(grant.scopes),
      ends_at: grant.endsAt ?? null,
      invite_expires_at: null,
      created_by: grant.createdBy ?? 'test',
      created_at: at,
      accepted_at: at,
      revoked_at: grant.revokedAt ?? null,
      revoked_by: grant.revokedAt ? 'test' : null,
      left_at: null,
    })
    .execute();
}

/** Puts in an accepted grant as the care team or an earlier test would have left it (no invitation, no mail). */
export function insertAcceptedGrant(
  store: Pick<Store, 'db'>,
  grant: { id: string; patientId: string; holder: Account; kind: 'caregiver' | 'guardian'; name: string },
  scopes: readonly string[],
  now: Date,
  createdBy = 'cli',
): Promise<void> {
  const { holder, ...rest } = grant;
  return insertGrant(store, { ...rest, caregiver: holder, scopes, createdBy, at: now }, now);
}

/** Sets what a grant allows, as the patient narrowing or widening it would (read fresh at the next request). */
export async function setGrantScopes(store: Store, id: string, scopes: readonly string[]): Promise<void> {
  await store.db
    .updateTable('caregiver_grant')
    .set({ scopes: JSON.stringify(scopes) })
    .where('id', '=', id)
    .execute();
}

/**
 * A family for access tests, on top of seedPeople: caregiver accounts with no record of their own, each signed in
 * (cookies by name), and their grants:
 * - `cal` → Ada, grant `g-cal` (scopes set by the test with setGrantScopes; all four to begin with)
 * - `rev` → Ada, grant `g-rev`, revoked; `exp` → Ada, grant `g-exp`, ended yesterday
 * - `oth` → Bea, grant `g-oth`, every scope (a caregiver of someone else)
 * `ada` and `bea` are signed in too.
 */
export async function seedCareFamily(
  t: TestApp,
  call: ReturnType<typeof caller>,
  cookies: Record<string, string>,
  now: Date,
): Promise<Record<string, Account>> {
  const store = t.testStore.store;
  const people = await seedPeople(store, now);
  const hash = await hashPassword(PASSWORD);
  const all = ['records', 'appointments', 'messages', 'refills'];
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString();
  for (const [name, patientId, grant] of [
    ['cal', 'pat-ada', { scopes: all }],
    ['rev', 'pat-ada', { scopes: all, revokedAt: yesterday }],
    ['exp', 'pat-ada', { scopes: all, endsAt: yesterday }],
    ['oth', 'pat-bea', { scopes: all }],
  ] as const) {
    const account = await createAccount(
      store.db,
      {
        kind: 'patient',
        username: name,
        email: `${name}@example.com`,
        displayName: `${name[0]!.toUpperCase()}${name.slice(1)} Carer`,
        passwordHash: hash,
      },
      now,
    );
    await store.db
      .updateTable('account')
      .set({ email_verified_at: now.toISOString() })
      .where('id', '=', account.id)
      .execute();
    people[name] = account;
    await insertGrant(store, { id: `g-${name}`, patientId, caregiver: account, ...grant }, now);
  }
  for (const who of ['ada', 'bea', 'cal', 'rev', 'exp', 'oth']) await signIn(call, cookies, who);
  return people;
}
