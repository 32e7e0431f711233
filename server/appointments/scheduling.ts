import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { addDays, weekday, zonedTimeToUtc } from './clinic-time.js';

const slug = z.string().regex(/^[a-z0-9-]{1,40}$/, 'an id is 1 to 40 lowercase letters, digits or -');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 09:00');

export const visitTypeInput = z
  .object({
    id: slug,
    name: z.string().trim().min(1).max(100),
    minutes: z.number().int().min(5).max(480),
    bookableOnline: z.boolean(),
    instructions: z.string().trim().max(600).default(''),
  })
  .strict();

export const scheduleInput = z
  .object({
    id: slug,
    kind: z.enum(['clinician', 'department']),
    name: z.string().trim().min(1).max(120),
    practitionerRef: z
      .string()
      .regex(/^Practitioner\/[A-Za-z0-9\-.]{1,64}$/, 'Practitioner/<id>')
      .optional(),
    department: z.string().trim().min(1).max(120),
    locationName: z.string().trim().min(1).max(120),
    locationAddress: z.string().trim().min(1).max(300),
  })
  .strict();

export const slotPlanInput = z
  .object({
    visitTypeId: slug,
    from: z.iso.date(),
    to: z.iso.date(),
    weekdays: z.array(z.number().int().min(0).max(6)).min(1).max(7).default([1, 2, 3, 4, 5]),
    start: hhmm,
    end: hhmm,
  })
  .strict()
  .refine((p) => p.from <= p.to, { message: 'from must not be after to', path: ['to'] })
  .refine((p) => p.start < p.end, { message: 'start must be before end', path: ['end'] })
  .refine((p) => Date.parse(p.to) - Date.parse(p.from) <= 366 * 86_400_000, {
    message: 'at most a year at a time',
    path: ['to'],
  });

/** A visit type or schedule named in a request does not exist. */
export class MissingScheduleItem extends Error {}

export async function saveVisitType(
  db: Kysely<Database>,
  input: z.infer<typeof visitTypeInput>,
  now: Date,
): Promise<void> {
  const row = {
    name: input.name,
    minutes: input.minutes,
    bookable_online: input.bookableOnline ? 1 : 0,
    instructions: input.instructions,
  };
  await db
    .insertInto('visit_type')
    .values({ id: input.id, ...row, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}

export async function saveSchedule(
  db: Kysely<Database>,
  input: z.infer<typeof scheduleInput>,
  now: Date,
): Promise<void> {
  const row = {
    kind: input.kind,
    name: input.name,
    practitioner_ref: input.practitionerRef ?? null,
    department: input.department,
    location_name: input.locationName,
    location_address: input.locationAddress,
  };
  await db
    .insertInto('schedule')
    .values({ id: input.id, ...row, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}

/**
 * Adds bookable times to a schedule: on the chosen weekdays between two dates, back-to-back visits of the visit
 * type's length from `start` to `end`, in the clinic's time zone. Times that would overlap a slot the schedule
 * already has are skipped (a clinician cannot be in two visits at once). Returns how many were added.
 */
export async function addSlots(
  db: Kysely<Database>,
  scheduleId: string,
  plan: z.infer<typeof slotPlanInput>,
  zone: string,
  now: Date,
): Promise<{ added: number; skipped: number }> {
  const type = await db
    .selectFrom('visit_type')
    .select('minutes')
    .where('id', '=', plan.visitTypeId)
    .executeTakeFirst();
  if (!type) throw new MissingScheduleItem(`there is no visit type "${plan.visitTypeId}"`);
  if (!(await db.selectFrom('schedule').select('id').where('id', '=', scheduleId).executeTakeFirst()))
    throw new MissingScheduleItem(`there is no schedule "${scheduleId}"`);
  const first = zonedTimeToUtc(plan.from, '00:00', zone);
  const last = zonedTimeToUtc(addDays(plan.to, 1), '00:00', zone);
  const existing = await db
    .selectFrom('slot')
    .select(['start_at', 'end_at'])
    .where('schedule_id', '=', scheduleId)
    .where('start_at', '<', last.toISOString())
    .where('end_at', '>', first.toISOString())
    .execute();
  const taken = existing.map((e) => [Date.parse(e.start_at), Date.parse(e.end_at)] as const);
  const rows = [];
  let skipped = 0;
  for (let day = plan.from; day <= plan.to; day = addDays(day, 1)) {
    if (!plan.weekdays.includes(weekday(day))) continue;
    const close = zonedTimeToUtc(day, plan.end, zone).getTime();
    for (
      let t = zonedTimeToUtc(day, plan.start, zone).getTime();
      t + type.minutes * 60_000 <= close;
      t += type.minutes * 60_000
    ) {
      const end = t + type.minutes * 60_000;
      if (taken.some(([s, e]) => s < end && e > t)) {
        skipped++;
        continue;
      }
      taken.push([t, end]);
      rows.push({
        id: randomUUID(),
        schedule_id: scheduleId,
        visit_type_id: plan.visitTypeId,
        start_at: new Date(t).toISOString(),
        end_at: new Date(end).toISOString(),
        created_at: now.toISOString(),
      });
    }
  }
  for (let i = 0; i < rows.length; i += 400)
    await db
      .insertInto('slot')
      .values(rows.slice(i, i + 400))
      .execute();
  return { added: rows.length, skipped };
}
