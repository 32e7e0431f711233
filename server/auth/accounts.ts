import { randomUUID } from 'node:crypto';
import type { Db, Account } from './sessions.js';

export type { Account };

/** Usernames compare after NFKC and lower-casing, so "Margery" and "ｍａｒｇｅｒｙ" are one name. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

export interface NewAccount {
  kind: 'patient' | 'staff';
  patientId?: string | null;
  username: string;
  email: string;
  displayName: string;
  role?: 'clinician' | 'helpdesk' | 'admin' | null;
  passwordHash?: string | null;
  phone?: string | null;
  notifyPrefs?: Record<string, unknown>;
}

export async function createAccount(db: Db, input: NewAccount, now: Date): Promise<Account> {
  const row = {
    id: randomUUID(),
    kind: input.kind,
    patient_id: input.patientId ?? null,
    username: normalizeUsername(input.username),
    email: normalizeEmail(input.email),
    email_verified_at: null,
    phone: input.phone ?? null,
    display_name: input.displayName,
    role: input.role ?? null,
    password_hash: input.passwordHash ?? null,
    notify_prefs: JSON.stringify(input.notifyPrefs ?? {}),
    created_at: now.toISOString(),
    disabled_at: null,
    vault_key: null,
  };
  await db.insertInto('account').values(row).execute();
  return row;
}

/** Finds an account by username or email address (whichever was typed). */
export async function findAccountByLogin(db: Db, login: string): Promise<Account | undefined> {
  const value = login.includes('@') ? normalizeEmail(login) : normalizeUsername(login);
  return db
    .selectFrom('account')
    .selectAll()
    .where(login.includes('@') ? 'email' : 'username', '=', value)
    .executeTakeFirst();
}
