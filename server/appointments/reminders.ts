import { sql } from 'kysely';
import type { Appointment } from 'fhir/r4';
import type { AppDeps } from '../deps.js';
import { readNotifyPrefs } from '../../common/notify-topics.js';
import { getResource } from '../store/resource-reads.js';
import type { ReminderTable } from '../store/schema.js';
import type { Selectable } from 'kysely';

type Reminder = Selectable<ReminderTable>;

/** How long a runner may hold a claimed reminder before another may take it over (it crashed mid-send). */
export const REMINDER_LEASE_MS = 5 * 60_000;

/**
 * Claims up to `limit` due reminders for this runner, atomically: each is moved to `sending` with a lease, in one
 * statement, so two runners (or two server instances over one PostgreSQL database) never claim the same row;
 * PostgreSQL skips rows another runner is claiming right now (`FOR UPDATE SKIP LOCKED`). A reminder whose lease
 * ran out (its runner died mid-send) can be claimed again.
 */
export async function claimDueReminders(
  deps: Pick<AppDeps, 'store'>,
  runner: string,
  now: Date,
  limit = 20,
): Promise<Reminder[]> {
  const { store } = deps;
  const at = now.toISOString();
  const lease = new Date(now.getTime() + REMINDER_LEASE_MS).toISOString();
  const lock = store.dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<Reminder>`
    update reminder set state = 'sending', lease_until = ${lease}, claimed_by = ${runner}, attempts = attempts + 1
    where id in (
      select id from reminder
      where due_at <= ${at} and (state = 'pending' or (state = 'sending' and lease_until < ${at}))
      order by due_at limit ${limit} ${lock}
    )
    returning *`.execute(store.db);
  return result.rows;
}

/** The reminder's words: date, time and place only (no visit type, no clinician, nothing clinical). */
export function reminderText(a: Appointment, clinic: { name: string; timeZone: string; phone: string }): string {
  const when = new Intl.DateTimeFormat('en-US', {
    timeZone: clinic.timeZone,
    dateStyle: 'full',
    timeStyle: 'short',
  }).format(new Date(a.start!));
  const place = a.contained?.find((r) => r.resourceType === 'Location') as
    { name?: string; address?: { text?: string } } | undefined;
  return `Reminder: you have an appointment at ${clinic.name} on ${when} (${clinic.timeZone.replace(/_/g, ' ')} time)${place ? `, at ${place.name}${place.address?.text ? `, ${place.address.text}` : ''}` : ''}. To cancel or change it, sign in to your portal or call ${clinic.phone}.`;
}

/**
 * One pass of the reminder job: claims what is due and sends each reminder by the patient's chosen channels
 * (appointment reminders: email and/or text). A reminder for a visit that was cancelled, moved or has passed is
 * dropped. The lease is renewed just before each send (a runner that lost it leaves the row alone). Once one
 * channel took it the row is `sent` (only by the runner that holds it), so nothing goes out twice; when every
 * channel failed it is tried again on a later pass, up to five attempts. Returns how many were sent.
 *
 * `now` is the runner's clock at the start of the pass (the server's clock, which a test may have moved); later
 * moments in the pass are `now` plus the time the pass has taken (a monotonic timer), never the wall clock, so a
 * renewed lease and the claims of other runners are measured on the same clock.
 */
export async function runReminders(
  deps: Pick<AppDeps, 'store' | 'mailer' | 'sms' | 'config' | 'logger'>,
  runner: string,
  now: Date,
): Promise<number> {
  const { store, mailer, sms, config, logger } = deps;
  const started = performance.now();
  const clockNow = () => now.getTime() + (performance.now() - started);
  let sent = 0;
  for (const r of await claimDueReminders(deps, runner, now)) {
    const finish = (state: Reminder['state'], extra: { sent_at?: string } = {}) =>
      store.db
        .updateTable('reminder')
        .set({ state, lease_until: null, ...extra })
        .where('id', '=', r.id)
        .where('claimed_by', '=', runner)
        .where('state', '=', 'sending')
        .execute();
    const appointment = (await getResource(store.db, 'Appointment', r.appointment_id))?.resource as unknown as
      Appointment | undefined;
    const start = Date.parse(appointment?.start ?? '');
    // Still this visit's reminder: booked, ahead, and due one of the lead times before its (maybe moved) start.
    const current =
      appointment?.status === 'booked' &&
      start > now.getTime() &&
      config.appointments.reminders.some((l) => start - l.ms === Date.parse(r.due_at));
    if (!current) {
      await finish('cancelled');
      continue;
    }
    // Still ours? Sends run one after another: renew the lease just before this one, or leave it to its new holder.
    const held = await store.db
      .updateTable('reminder')
      .set({ lease_until: new Date(clockNow() + REMINDER_LEASE_MS).toISOString() })
      .where('id', '=', r.id)
      .where('claimed_by', '=', runner)
      .where('state', '=', 'sending')
      .executeTakeFirst();
    if (Number(held.numUpdatedRows) !== 1) continue;
    const holder = await store.db
      .selectFrom('account')
      .select(['email', 'email_verified_at', 'phone', 'notify_prefs'])
      .where('patient_id', '=', r.patient_id)
      .where('kind', '=', 'patient')
      .executeTakeFirst();
    const prefs = readNotifyPrefs(holder?.notify_prefs);
    const text = reminderText(appointment!, {
      name: config.clinic.name,
      timeZone: config.clinic.timeZone,
      phone: config.clinic.support.phone,
    });
    const channels: (() => Promise<void>)[] = [];
    if (holder?.email_verified_at && prefs.appointmentReminder.email)
      channels.push(() =>
        mailer.send({ to: holder.email, subject: `Appointment reminder from ${config.clinic.name}`, text }),
      );
    if (holder?.phone && prefs.appointmentReminder.text) channels.push(() => sms.send({ to: holder.phone!, text }));
    const results = await Promise.allSettled(channels.map((send) => send()));
    for (const failure of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected'))
      logger.error('reminder failed', { reminder: r.id, error: (failure.reason as Error).message });
    if (channels.length && results.every((x) => x.status === 'rejected')) {
      await finish(r.attempts >= 5 ? 'failed' : 'pending');
      continue;
    }
    // Sent by at least one channel (or the patient chose none): done, never sent again by the other.
    await finish('sent', { sent_at: now.toISOString() });
    sent++;
  }
  return sent;
}
