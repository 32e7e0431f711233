import type { CareScope } from '../../common/caregiver-consent.js';
import { ok, portal } from '../data/portal.js';
import { PERSON_VAULT_PREFIX, personVaultName } from './vault-name.js';

/**
 * Whose record this tab shows ([3/11]): the account's own, or that of a person who let this account help them (a
 * caregiver's grant, a guardian's). The people come from the server (GET /api/records/patients: only live grants,
 * with the scopes they allow now); the choice is kept for this tab only (sessionStorage: an opaque id). Every record
 * view, the outbox and the sync follow the choice: each person has a local record of their own.
 */
export interface Person {
  id: string;
  name: string;
  self: boolean;
  as: 'self' | 'caregiver' | 'guardian';
  scopes: CareScope[];
  grantId?: string;
}

/** Announced on window when the person viewed or the list of people changes. */
export const VIEWING_CHANGE = 'mcl-viewing-change';
const choiceKey = (accountId: string) => `mcl-viewing:${accountId}`;

let known: { accountId: string; people: Person[] } | undefined;
let loading: { accountId: string; done: Promise<Person[]> } | undefined;

const announce = () => dispatchEvent(new Event(VIEWING_CHANGE));

/**
 * Counts the times the person viewed was changed under the pages' feet (chosen, or their access ended), for the
 * shell to make the page afresh: nothing of the last person stays on screen. The first person shown after the
 * list arrives is not counted: before it there was no one, and a page in the middle of something (recovery codes
 * shown once) must not be made again.
 */
let epoch = 0;
export const viewingEpoch = () => epoch;

/** The name of the person whose access ended in this tab, to say so once (cleared when read). */
let ended: string | undefined;
export function takeEndedNotice(): string | undefined {
  const name = ended;
  ended = undefined;
  return name;
}

/** The people this account may view, as last read from the server (undefined: not read yet in this tab). */
export function peopleOf(accountId: string): Person[] | undefined {
  return known?.accountId === accountId ? known.people : undefined;
}

/**
 * Whose record to show: the person chosen in this tab while they are still among the people, else the account's
 * own record, else (a caregiver with no record of their own) the first person they help. Null while that is not
 * known yet (the list is then asked for; VIEWING_CHANGE says when it is there).
 */
export function viewedPatient(account: { id: string; patientId: string | null }): string | null {
  const people = peopleOf(account.id);
  const chosen = sessionStorage.getItem(choiceKey(account.id));
  if (chosen && (chosen === account.patientId || people?.some((p) => p.id === chosen))) return chosen;
  if (account.patientId) return account.patientId;
  if (!people) void loadPeople(account.id);
  return people?.[0]?.id ?? null;
}

/** The person viewed, with what they allow; undefined until the list is known. */
export function viewedPerson(account: { id: string; patientId: string | null }): Person | undefined {
  const id = viewedPatient(account);
  return peopleOf(account.id)?.find((p) => p.id === id);
}

export function chooseViewed(accountId: string, patientId: string): void {
  sessionStorage.setItem(choiceKey(accountId), patientId);
  epoch++;
  announce();
}

/**
 * Reads the people from the server (once at a time), and deletes from this device the local record of anyone no
 * longer among them: access ended, narrowed to nothing, or another account's leftovers. Offline, what was known stays.
 */
export function loadPeople(accountId: string): Promise<Person[]> {
  if (loading?.accountId === accountId) return loading.done;
  const done = ok(portal.api.records.patients.$get())
    .then(async ({ patients }) => {
      known = { accountId, people: patients };
      announce();
      await forgetOthers(patients.filter((p) => !p.self).map((p) => p.id));
      return patients;
    })
    .finally(() => {
      if (loading?.done === done) loading = undefined;
    });
  loading = { accountId, done };
  return done;
}

/** After a sync or a request found that access to `patientId` has ended: not viewed any more, its copy deleted. */
export async function accessEnded(accountId: string, patientId: string): Promise<void> {
  if (known?.accountId === accountId) {
    ended = known.people.find((p) => p.id === patientId)?.name ?? 'this person';
    known = { accountId, people: known.people.filter((p) => p.id !== patientId) };
  }
  epoch++;
  if (sessionStorage.getItem(choiceKey(accountId)) === patientId) sessionStorage.removeItem(choiceKey(accountId));
  await deleteDatabase(personVaultName(patientId));
  announce();
}

/** Signed out: nothing about the people is kept in memory. */
export function forgetPeople(): void {
  known = undefined;
  loading = undefined;
}

/** Deletes every other person's local record on this device except those of `keep`. */
export async function forgetOthers(keep: string[]): Promise<void> {
  const names = (await indexedDB.databases?.().catch(() => [])) ?? [];
  const keepNames = new Set(keep.map(personVaultName));
  await Promise.all(
    names
      .map((d) => d.name ?? '')
      .filter((name) => name.startsWith(PERSON_VAULT_PREFIX) && !keepNames.has(name))
      .map(deleteDatabase),
  );
}

export function deleteDatabase(name: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
