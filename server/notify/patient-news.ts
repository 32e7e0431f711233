import type { AppDeps } from '../deps.js';
import { sendInBackground } from './mailer.js';
import { readNotifyPrefs, type NotifyTopic } from '../../common/notify-topics.js';

/**
 * Tells the holder of a patient's account that something new waits in the portal (a reply, a decision on a
 * request, a visit the clinic cancelled), by the channels they chose for that kind of news: email unless they
 * turned it off, a text when they asked for one and gave a number. Never clinical content: only that there is news, and where to sign in. Never delays the answer.
 */
export async function tellPatient(
  deps: Pick<AppDeps, 'store' | 'mailer' | 'sms' | 'logger' | 'config'>,
  patientId: string,
  news: { subject: string; path: string },
  kind: NotifyTopic = 'newMessage',
): Promise<void> {
  const { store, mailer, sms, logger, config } = deps;
  // Called after the work it tells of was committed: a failure here is logged, never turned into an error answer.
  const holder = await store.db
    .selectFrom('account')
    .select(['email', 'email_verified_at', 'phone', 'notify_prefs'])
    .where('patient_id', '=', patientId)
    .where('kind', '=', 'patient')
    .executeTakeFirst()
    .catch((error: Error) => void logger.error('telling the patient failed', { error: error.message }));
  if (!holder) return;
  // The channels the patient chose for this kind of news (sign-up and Account → Notifications).
  const prefs = readNotifyPrefs(holder.notify_prefs);
  const link = `${config.publicOrigin}${news.path}`;
  if (prefs[kind].email && holder.email_verified_at) {
    sendInBackground(mailer, logger, {
      to: holder.email,
      subject: `${news.subject} (${config.clinic.name})`,
      text: `${news.subject} is waiting for you in the ${config.clinic.name} patient portal. Sign in to see it: ${link}\n\nFor your privacy this email holds no health details.`,
    });
  }
  if (prefs[kind].text && holder.phone) {
    void sms
      .send({
        to: holder.phone,
        text: `${config.clinic.shortName}: ${news.subject} is waiting in your portal. ${link}`,
      })
      .catch((error: Error) => logger.error('text failed', { error: error.message }));
  }
}
