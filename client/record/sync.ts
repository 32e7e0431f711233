import { ok, portal } from '../data/portal.js';
import { fromBase64Url } from '../../common/base64url.js';
import { openVault } from './open-vault.js';
import type { Vault } from './vault.js';
import { unlockedKey } from './unlocked-keys.js';
import { personVaultName } from './vault-name.js';
import type { Person } from './viewing.js';

export interface SyncProgress {
  patientId: string;
  /** Changes stored so far in this run, and how many there were to fetch when it started. */
  done: number;
  total: number;
  /** True on a first download (nothing stored yet): the page shows "Downloading your record: 412 of 954". */
  first: boolean;
}

export interface SyncResult {
  patients: Person[];
  changes: number;
  lastSyncAt: string;
}

/** The patients this account may read (asked once per worker: it changes only when access is granted or revoked). */
export async function listPatients(): Promise<SyncResult['patients']> {
  return (await ok(portal.api.records.patients.$get())).patients;
}

/**
 * Opens this account's local record: with the key the server hands to the signed-in session, or, when the page
 * was unlocked without a connection, with the key that unlocking gave back.
 */
export async function openAccountVault(accountId: string, make = true, otherPerson?: string): Promise<Vault> {
  if (otherPerson) {
    // Another person's record: its own database and its own key, which only the server hands out, and only while
    // the access lasts (404 once it has ended).
    const { key } = await ok(portal.api.records['vault-key'].$get({ query: { patient: otherPerson } }));
    if (key === null) throw new Error('The portal answered without the key to this record.');
    return openVault(accountId, fromBase64Url(key), personVaultName(otherPerson), true, make);
  }
  const local = unlockedKey(accountId);
  // A key unlocked on this device that no longer opens the record must not start a new one: that would delete
  // what waits in the outbox. The error says so instead.
  if (local) return openVault(accountId, local, undefined, false, make);
  const { key } = await ok(portal.api.records['vault-key'].$get({ query: {} }));
  // The server's row type leaves the key nullable; it makes one before answering, so none is a broken answer.
  if (key === null) throw new Error('The portal answered without the key to this record.');
  return openVault(accountId, fromBase64Url(key), undefined, true, make);
}

export const PAGE_SIZE = 500;

/**
 * Brings the local record up to date: for each patient the account may read, pulls the feed after the stored
 * cursor, page by page, and stores each page (encrypted) with its cursor in one transaction, so an interrupted sync
 * resumes where it stopped and never stores a change twice. Nothing new costs one small request per patient.
 */
export async function syncAll(
  vault: Vault,
  onProgress: (p: SyncProgress) => void = () => {},
  known?: SyncResult['patients'],
): Promise<SyncResult> {
  const patients = known ?? (await listPatients());
  let changes = 0;
  const lastSyncAt = new Date().toISOString();
  for (const patient of patients) {
    let state = await vault.syncState(patient.id);
    // Another person's feed is filtered by what they allow: when that changed, the copy starts again.
    const scopes = patient.self ? undefined : patient.scopes.join(',');
    if (state && state.scopes !== scopes) {
      await vault.resetPatient(patient.id);
      state = undefined;
    }
    let cursor = state?.cursor ?? 0;
    const first = cursor === 0;
    let done = 0;
    let total: number | undefined;
    // Page by page; the next page is fetched and sealed while the last one is being written. Writes stay in order,
    // each with its own cursor, so an interrupted sync resumes at the last page fully stored.
    let writing: Promise<void> = Promise.resolve();
    for (;;) {
      const page = await ok(
        portal.api.records.feed.$get({
          query: { patient: patient.id, since: String(cursor), limit: String(PAGE_SIZE) },
        }),
      );
      total ??= Math.max(0, page.latest - cursor);
      // Each change is a resource or a deletion (the server's answer type says which, by its fields).
      const rows = await vault.seal(
        patient.id,
        page.changes.flatMap((c) => ('resource' in c ? [c.resource] : [])),
      );
      const removed = page.changes.flatMap((c) => ('deleted' in c ? [{ type: c.type, id: c.id }] : []));
      await writing;
      const count = page.changes.length;
      // On the first download everything already there counts as seen: "new" is what arrives after it.
      writing = vault
        .write(
          patient.id,
          rows,
          removed,
          { patientId: patient.id, cursor: page.next, lastSyncAt, ...(scopes !== undefined ? { scopes } : {}) },
          first,
        )
        .then(() => {
          done += count;
          changes += count;
          onProgress({ patientId: patient.id, done, total: total!, first });
        });
      cursor = page.next;
      if (page.done || count === 0) break;
    }
    await writing;
    // A sync that found nothing new still records when it last looked.
    if (done === 0)
      await vault.db.sync.put({
        patientId: patient.id,
        cursor,
        lastSyncAt,
        ...(scopes !== undefined ? { scopes } : {}),
      });
  }
  return { patients, changes, lastSyncAt };
}
