import { ApiProblem } from '../../data/api.js';
import { ok, portal, type Success } from '../../data/portal.js';
import { describeProblem } from '../../ui/action-controller.js';
import { dateFormat } from '../../ui/date-format.js';
import { caregiverConsent, CURRENT_CAREGIVER_CONSENT, type CareScope } from '../../../common/caregiver-consent.js';

// Words the caregiver pages share ([3/11]): states, scopes and dates as a person reads them.

/** One caregiver on the patient's Sharing page, as `GET /api/sharing` lists them. */
export type SharingEntry = Success<Awaited<ReturnType<typeof portal.api.sharing.$get>>>['caregivers'][number];
/** What an invitation offers, as `POST /api/caregiver/invitation` previews it. */
export type InvitationPreview = Success<Awaited<ReturnType<typeof portal.api.caregiver.invitation.$post>>>;
/** A person this account helps, as `GET /api/caregiver/people` lists them. */
export type HelpedPerson = Success<Awaited<ReturnType<typeof portal.api.caregiver.people.$get>>>['people'][number];

/** Lists the patient's caregivers (for the pages that show them). */
export const loadSharing = () => ok(portal.api.sharing.$get());

/** The scope's plain label ("Read your health record"), from the consent text a person read. */
export function scopeLabel(scope: CareScope, version = CURRENT_CAREGIVER_CONSENT.version): string {
  return (caregiverConsent(version) ?? CURRENT_CAREGIVER_CONSENT).scopes[scope].label;
}

/** "Read their health record": a scope as the caregiver is told it. */
export function scopeForHelper(scope: CareScope): string {
  return scopeLabel(scope).replace(/\byour\b/g, 'their');
}

/** A day of the clinic's calendar (YYYY-MM-DD) as a person reads it: "12 Jan 2027". */
export function dayWords(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return dateFormat({ dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

/** An instant as a person reads it: "12 Jan 2027, 14:05". */
export function whenWords(iso: string): string {
  return dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** Whether the entry's state is still open (invited or active): the ones that may be changed or ended. */
export function isOpenState(state: SharingEntry['state']): boolean {
  return state === 'invited' || state === 'active';
}

/** The short state (invited, active, ended) and why it ended, in words. */
export function stateWords(entry: Pick<SharingEntry, 'state' | 'inviteExpiresAt'>): { short: string; more: string } {
  switch (entry.state) {
    case 'invited':
      return {
        short: 'Invited',
        more: entry.inviteExpiresAt
          ? `They have not accepted yet. The link in their email works until ${whenWords(entry.inviteExpiresAt)}.`
          : 'They have not accepted yet.',
      };
    case 'active':
      return { short: 'Active', more: 'They can use the portal for you now.' };
    case 'invitation-expired':
      return { short: 'Ended', more: 'The invitation was not accepted in time.' };
    case 'expired':
      return { short: 'Ended', more: 'The end date you chose has passed.' };
    case 'ended-by-age':
      return { short: 'Ended', more: 'It ended at the age the clinic sets.' };
    case 'revoked':
      return { short: 'Ended', more: 'You ended it.' };
    case 'left':
      return { short: 'Ended', more: 'They gave up their access.' };
    case 'not-accepted':
      return { short: 'Ended', more: 'It was not accepted.' };
  }
}

/** The minimum end date the form offers: today on this device (the server checks the clinic's calendar). */
export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A refused form as its page shows it: the sentence at the top, and each field's own problem beside that field. */
export function refusal(error: unknown): { problem: string; errors: Record<string, string> } {
  return {
    problem: describeProblem(error, 'That did not work. Please try again.'),
    errors:
      error instanceof ApiProblem ? Object.fromEntries(error.issues.map((i) => [i.path.split('.')[0], i.message])) : {},
  };
}
