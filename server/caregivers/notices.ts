import type { AppDeps } from '../deps.js';
import { sendInBackground, type Mail } from '../notify/mailer.js';
import { scopesInWords, type CareScope, type GrantKind } from '../../common/caregiver-consent.js';
import type { Db } from '../auth/sessions.js';
import { INVITE_DAYS, patientAccount, patientName, type GrantRow } from './grants.js';

// The mails of caregiver access ([3/11]): the invitation, and to both sides when access starts, changes or ends.
// They name the people and what may be done ("read your health record"), never anything from the record.

type Deps = Pick<AppDeps, 'config' | 'mailer' | 'logger'>;

/** The two people of a grant, as mails name them. */
export interface Parties {
  patient: { name: string; email: string | null };
  /** The name the patient gave the caregiver, and the address of the account that accepted (once one did). */
  caregiver: { name: string; email: string | null };
  /** A caregiver the patient invited, or a guardian the care team set up (the mails say who did what). */
  kind: GrantKind;
}

export type GrantEvent =
  | { what: 'invited'; token: string; scopes: readonly CareScope[]; endsOn: string | null; invitedEmail: string }
  | { what: 'accepted'; scopes: readonly CareScope[]; endsOn: string | null }
  | { what: 'changed'; scopes: readonly CareScope[]; endsOn: string | null }
  | { what: 'revoked'; pending: boolean }
  | { what: 'left' }
  | {
      what: 'guardian-added';
      /** The activation code (also the link's token) and the link, as the care team may hand them over on paper. */
      code: string;
      link: string;
      scopes: readonly CareScope[];
      /** What the clinic's age rules will do, in words ("From age 12 …"). */
      ageRules: string;
      invitedEmail: string;
    }
  | { what: 'guardian-ended'; pending: boolean };

const until = (endsOn: string | null) => (endsOn ? `until the end of ${endsOn}` : 'with no end date');

/** The mails one event sends: to the patient (when they have an account) and to the caregiver (once known). */
export function grantMails(deps: Pick<AppDeps, 'config'>, parties: Parties, event: GrantEvent): Mail[] {
  const { config } = deps;
  const clinic = config.clinic.name;
  const { patient, caregiver } = parties;
  const check = `If this was not you, sign in and check Account → Sharing, or call us on ${config.clinic.support.phone}.`;
  const mails: Mail[] = [];
  const toPatient = (subject: string, text: string) => {
    if (patient.email) mails.push({ to: patient.email, subject: `${subject} (${clinic})`, text });
  };
  const toCaregiver = (subject: string, text: string, to = caregiver.email) => {
    if (to) mails.push({ to, subject: `${subject} (${clinic})`, text });
  };
  switch (event.what) {
    case 'invited':
      toCaregiver(
        `${patient.name} invited you to help with their portal account`,
        `${patient.name} would like you to help them with their ${clinic} patient portal. Once you accept, you may ` +
          `${scopesInWords(event.scopes)}, ${until(event.endsOn)}.\n\n` +
          `To accept, open this link within ${INVITE_DAYS} days (it works once):\n\n${config.publicOrigin}/caregiver-invite#token=${event.token}\n\n` +
          `You can accept with a portal account you already have, or make one of your own from the link. ` +
          `If you do not know ${patient.name} or do not want to help, ignore this email: nothing happens.`,
        event.invitedEmail,
      );
      toPatient(
        'You invited a caregiver',
        `You invited ${caregiver.name} (${event.invitedEmail}) to help with your portal account. Once they accept, ` +
          `they may ${scopesInWords(event.scopes)}, ${until(event.endsOn)}.\n\n${check}`,
      );
      break;
    case 'accepted':
      if (parties.kind === 'guardian') {
        toPatient(
          `${caregiver.name} can now use the portal for you as your parent or guardian`,
          `${caregiver.name}, whom the care team set up as your parent or guardian, activated their access${caregiver.email ? ` with the account of ${caregiver.email}` : ''}. ` +
            `They may ${scopesInWords(event.scopes)} for you.\n\nIf this is not right, call us on ${config.clinic.support.phone}.`,
        );
        toCaregiver(
          `You can now use the portal for ${patient.name}`,
          `As ${patient.name}’s parent or guardian you may now ${scopesInWords(event.scopes)} for them. ` +
            `Sign in at ${config.publicOrigin}/sign-in and choose ${patient.name}.`,
        );
        break;
      }
      toPatient(
        `${caregiver.name} can now help with your portal account`,
        `${caregiver.name} accepted your invitation${caregiver.email ? ` with the account of ${caregiver.email}` : ''}. ` +
          `From now on they may ${scopesInWords(event.scopes)}, ${until(event.endsOn)}. You can change or end this at any time in Account → Sharing.\n\n${check}`,
      );
      toCaregiver(
        `You can now help ${patient.name}`,
        `You may now ${scopesInWords(event.scopes)} for ${patient.name}, ${until(event.endsOn)}. ` +
          `Sign in at ${config.publicOrigin}/sign-in and choose ${patient.name}.`,
      );
      break;
    case 'changed':
      toPatient(
        `You changed what ${caregiver.name} may do`,
        `${caregiver.name} may now ${scopesInWords(event.scopes)} for you, ${until(event.endsOn)}.\n\n${check}`,
      );
      toCaregiver(
        `${patient.name} changed what you may do`,
        `${patient.name} changed your access to their portal account: you may now ${scopesInWords(event.scopes)}, ${until(event.endsOn)}.`,
      );
      break;
    case 'revoked':
      if (event.pending) {
        toPatient(
          `You withdrew your invitation to ${caregiver.name}`,
          `The invitation you sent to ${caregiver.name} no longer works; they get no access.\n\n${check}`,
        );
        break;
      }
      toPatient(
        `You ended ${caregiver.name}’s access`,
        `${caregiver.name} can no longer see or do anything for you in the portal.\n\n${check}`,
      );
      toCaregiver(
        `${patient.name} ended your access`,
        `${patient.name} ended your access to their portal account. You can no longer see or do anything for them; what the app kept of them on your devices is removed when it next connects.`,
      );
      break;
    case 'left':
      toPatient(
        `${caregiver.name} gave up their access`,
        `${caregiver.name} gave up their access to your portal account and can no longer see or do anything for you.\n\n${check}`,
      );
      toCaregiver(
        `You gave up your access for ${patient.name}`,
        `You can no longer see or do anything for ${patient.name} in the portal. If this was a mistake, ask them to invite you again.`,
      );
      break;
    case 'guardian-added':
      toCaregiver(
        `Your access to ${patient.name}’s patient portal`,
        `The care team at ${clinic} set you up as ${patient.name}’s parent or guardian on the patient portal. Once you ` +
          `activate it, you may ${scopesInWords(event.scopes)} for them. ${event.ageRules}\n\n` +
          `To activate, open this link within ${INVITE_DAYS} days (it works once):\n\n${event.link}\n\n` +
          `Its activation code, ${event.code}, is the one the care team may have given you on paper: use either, once. ` +
          `You can activate with a portal account you already have, or make one of your own from the link. ` +
          `If you did not ask for this, ignore this email and call us on ${config.clinic.support.phone}.`,
        event.invitedEmail,
      );
      toPatient(
        'The care team set up a parent or guardian for you',
        `The care team set up ${caregiver.name} as your parent or guardian on the portal. Once they activate it, they ` +
          `may ${scopesInWords(event.scopes)} for you. ${event.ageRules}\n\nIf this is not right, call us on ${config.clinic.support.phone}.`,
      );
      break;
    case 'guardian-ended':
      toPatient(
        `The care team ended ${caregiver.name}’s access as your parent or guardian`,
        event.pending
          ? `The activation the care team made for ${caregiver.name} no longer works; they get no access.`
          : `${caregiver.name} can no longer see or do anything for you in the portal.`,
      );
      if (!event.pending)
        toCaregiver(
          `Your access for ${patient.name} has ended`,
          `The care team at ${clinic} ended your access as ${patient.name}’s parent or guardian. You can no longer see or do anything for them; what the app kept of them on your devices is removed when it next connects. Questions: call us on ${config.clinic.support.phone}.`,
        );
      break;
  }
  return mails;
}

/** Sends an event's mails after the change has committed, without holding the answer. */
export function sendGrantMails(deps: Deps, parties: Parties, event: GrantEvent): void {
  for (const mail of grantMails(deps, parties, event)) sendInBackground(deps.mailer, deps.logger, mail);
}

/** Who a grant's mails go to: the patient's own account (if any) and the account that accepted (if any). */
export async function partiesOf(db: Db, row: GrantRow): Promise<Parties> {
  const holder = await patientAccount(db, row.patient_id);
  const caregiver = row.caregiver_account_id
    ? await db.selectFrom('account').select('email').where('id', '=', row.caregiver_account_id).executeTakeFirst()
    : undefined;
  return {
    patient: { name: await patientName(db, row.patient_id), email: holder?.email ?? null },
    caregiver: { name: row.invited_name, email: caregiver?.email ?? null },
    kind: row.kind,
  };
}
