import type { AppDeps } from '../deps.js';
import { sendInBackground, type Mail } from '../notify/mailer.js';
import { scopesInWords, type CareScope } from '../../common/caregiver-consent.js';
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
}

export type GrantEvent =
  | { what: 'invited'; token: string; scopes: readonly CareScope[]; endsOn: string | null; invitedEmail: string }
  | { what: 'accepted'; scopes: readonly CareScope[]; endsOn: string | null }
  | { what: 'changed'; scopes: readonly CareScope[]; endsOn: string | null }
  | { what: 'revoked'; pending: boolean }
  | { what: 'left' };

const until = (endsOn: string | null) => (endsOn ? `until the end of ${endsOn}` : 'with no end date');

/** The mails one event sends: to the patient (when they have an account) and to the caregiver (once known). */
export function grantMails(deps: Deps, parties: Parties, event: GrantEvent): Mail[] {
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
  };
}
