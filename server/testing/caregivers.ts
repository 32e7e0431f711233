import assert from 'node:assert/strict';
import type { TestApp } from './app.js';
import { verifiedPatient } from './accounts.js';
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

/** Puts in an accepted grant as the care team or an earlier test would have left it (no invitation, no mail). */
export async function insertAcceptedGrant(
  store: Pick<Store, 'db'>,
  grant: { id: string; patientId: string; holder: Account; kind: 'caregiver' | 'guardian'; name: string },
  scopes: readonly string[],
  now: Date,
  createdBy = 'cli',
): Promise<void> {
  await store.db
    .insertInto('caregiver_grant')
    .values({
      id: grant.id,
      patient_id: grant.patientId,
      caregiver_account_id: grant.holder.id,
      invited_email: grant.kind === 'guardian' ? null : grant.holder.email,
      invited_name: grant.name,
      kind: grant.kind,
      scopes: JSON.stringify(scopes),
      ends_at: null,
      invite_expires_at: null,
      created_by: createdBy,
      created_at: now.toISOString(),
      accepted_at: now.toISOString(),
      revoked_at: null,
      revoked_by: null,
      left_at: null,
    })
    .execute();
}
