import { randomUUID } from 'node:crypto';
import type { Appointment } from 'fhir/r4';
import type { Kysely, Transaction } from 'kysely';
import { ApiError } from '../errors.js';
import { getResource } from '../store/resource-reads.js';
import { putResources } from '../store/resources.js';
import { isUniqueViolation, type DialectName } from '../store/store.js';
import type { Database } from '../store/schema.js';
import type { JsonObject } from '../fhir-json/references.js';

/** A bookable time with what the patient needs to choose it. */
export interface OpenSlot {
  id: string;
  start: string;
  end: string;
  visitType: { id: string; name: string; minutes: number };
  schedule: {
    id: string;
    name: string;
    kind: 'clinician' | 'department';
    department: string;
    location: string;
    address: string;
    /** `Practitioner/<id>` of a clinician's schedule, so the page can put the patient's own clinician first. */
    practitioner: string | null;
  };
}

/**
 * What patients may do online: book, move or cancel a visit until `cutoffMs` before it starts
 * (CANCEL_CUTOFF_HOURS); after that they call `phone`. The clinic's own staff are not held to it.
 */
export interface OnlineRules {
  cutoffMs: number;
  phone: string;
}

/** The clinic's online rules from its settings: the change/cancel cut-off and the phone to call instead. */
export function onlineRulesOf(config: {
  appointments: { cancelCutoffMs: number };
  clinic: { support: { phone: string } };
}): OnlineRules {
  return { cutoffMs: config.appointments.cancelCutoffMs, phone: config.clinic.support.phone };
}

/** "24 hours", "1 hour", "90 minutes": the cut-off as the sentences say it. */
export function cutoffText(ms: number): string {
  const hours = ms / 3600_000;
  if (Number.isInteger(hours)) return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  return `${Math.round(ms / 60_000)} minutes`;
}

/** The first moment a patient may still book online: `now` plus the cut-off. */
export const earliestOnline = (now: Date, rules: OnlineRules) => new Date(now.getTime() + rules.cutoffMs);

/** The visit type (its id) a booked Appointment is of, as `appointmentResource` wrote it; undefined if not ours. */
export function visitTypeOf(a: Appointment, origin: string): string | undefined {
  return a.appointmentType?.coding?.find((c) => c.system === `${origin}/fhir/visit-types`)?.code;
}

const slotColumns = [
  's.id as slot_id',
  's.start_at',
  's.end_at',
  'v.id as visit_type_id',
  'v.name as visit_type_name',
  'v.minutes',
  'v.bookable_online',
  'v.instructions',
  'c.id as schedule_id',
  'c.name as schedule_name',
  'c.kind',
  'c.practitioner_ref',
  'c.department',
  'c.location_name',
  'c.location_address',
] as const;

function slotQuery(db: Kysely<Database>) {
  return db
    .selectFrom('slot as s')
    .innerJoin('visit_type as v', 'v.id', 's.visit_type_id')
    .innerJoin('schedule as c', 'c.id', 's.schedule_id')
    .select(slotColumns);
}
type SlotRow = Awaited<ReturnType<ReturnType<typeof slotQuery>['executeTakeFirstOrThrow']>>;

function toOpenSlot(r: SlotRow): OpenSlot {
  return {
    id: r.slot_id,
    start: r.start_at,
    end: r.end_at,
    visitType: { id: r.visit_type_id, name: r.visit_type_name, minutes: r.minutes },
    schedule: {
      id: r.schedule_id,
      name: r.schedule_name,
      kind: r.kind,
      department: r.department,
      location: r.location_name,
      address: r.location_address,
      practitioner: r.practitioner_ref,
    },
  };
}

/** Free slots of a visit type (optionally of one schedule) starting in [from, to), soonest first, at most `limit`. */
export async function openSlots(
  db: Kysely<Database>,
  q: { visitTypeId: string; scheduleId?: string; from: Date; to: Date; limit?: number },
): Promise<OpenSlot[]> {
  let query = slotQuery(db)
    .leftJoin('slot_booking as b', 'b.slot_id', 's.id')
    .where('b.slot_id', 'is', null)
    .where('s.visit_type_id', '=', q.visitTypeId)
    .where('s.start_at', '>=', q.from.toISOString())
    .where('s.start_at', '<', q.to.toISOString());
  if (q.scheduleId) query = query.where('s.schedule_id', '=', q.scheduleId);
  const rows = await query
    .orderBy('s.start_at')
    .limit(q.limit ?? 300)
    .execute();
  return rows.map(toOpenSlot);
}

/** The FHIR Appointment for a booked slot: time, visit type and its instructions, who, where (a contained Location). */
export function appointmentResource(input: {
  id: string;
  patientId: string;
  patientName: string;
  slot: SlotRow;
  created: string;
  origin: string;
}): Appointment {
  const { slot: s } = input;
  return {
    resourceType: 'Appointment',
    id: input.id,
    status: 'booked',
    created: input.created,
    start: s.start_at,
    end: s.end_at,
    minutesDuration: s.minutes,
    serviceType: [{ text: s.department }],
    appointmentType: {
      coding: [{ system: `${input.origin}/fhir/visit-types`, code: s.visit_type_id }],
      text: s.visit_type_name,
    },
    description: s.visit_type_name,
    ...(s.instructions ? { patientInstruction: s.instructions } : {}),
    slot: [{ reference: `Slot/${s.slot_id}` }],
    contained: [
      { resourceType: 'Location', id: 'place', name: s.location_name, address: { text: s.location_address } },
    ],
    participant: [
      {
        actor: { reference: `Patient/${input.patientId}`, display: input.patientName },
        required: 'required',
        status: 'accepted',
      },
      {
        actor: { ...(s.practitioner_ref ? { reference: s.practitioner_ref } : {}), display: s.schedule_name },
        required: 'required',
        status: 'accepted',
      },
      { actor: { reference: '#place', display: s.location_name }, required: 'required', status: 'accepted' },
    ],
  };
}

export async function slotById(db: Kysely<Database>, slotId: string): Promise<SlotRow | undefined> {
  return slotQuery(db).where('s.id', '=', slotId).executeTakeFirst();
}

/**
 * Checks that a slot can be booked now, by a patient online (held to the cut-off: a visit less than that away is
 * one they could not cancel online either) or by the clinic; throws a 4xx that says why not.
 */
export function assertBookable(
  slot: SlotRow | undefined,
  now: Date,
  who: OnlineRules | 'by-clinic',
): asserts slot is SlotRow {
  if (!slot)
    throw new ApiError(404, 'slot_not_found', 'That time is not on the clinic’s schedule. Please choose another.');
  if (Date.parse(slot.start_at) <= now.getTime())
    throw new ApiError(409, 'slot_past', 'That time has already passed. Please choose a later one.');
  if (who === 'by-clinic') return;
  if (!slot.bookable_online)
    throw new ApiError(
      403,
      'not_bookable_online',
      `“${slot.visit_type_name}” visits are booked by the clinic. Please call ${who.phone} to book one.`,
    );
  if (Date.parse(slot.start_at) < earliestOnline(now, who).getTime())
    throw new ApiError(
      409,
      'too_soon',
      `Visits less than ${cutoffText(who.cutoffMs)} away cannot be booked or moved online. Please choose a later time, or call ${who.phone}.`,
    );
}

/** Holds a slot for an appointment: the slot's primary key refuses a second holder (both databases). */
export async function holdSlot(
  trx: Transaction<Database>,
  slotId: string,
  appointmentId: string,
  patientId: string,
  now: Date,
): Promise<void> {
  try {
    await trx
      .insertInto('slot_booking')
      .values({ slot_id: slotId, appointment_id: appointmentId, patient_id: patientId, booked_at: now.toISOString() })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ApiError(409, 'slot_taken', 'Someone has just booked that time. Please choose another.');
    throw error;
  }
}

/** Reminder rows for a visit at `start`, one per lead time still in the future. */
export async function planReminders(
  trx: Transaction<Database>,
  appointmentId: string,
  patientId: string,
  start: string,
  leads: { label: string; ms: number }[],
  now: Date,
): Promise<void> {
  const rows = leads
    .map((l) => ({ lead: l.label, due: Date.parse(start) - l.ms }))
    .filter((r) => r.due > now.getTime())
    .map((r) => ({
      id: randomUUID(),
      appointment_id: appointmentId,
      patient_id: patientId,
      lead: r.lead,
      due_at: new Date(r.due).toISOString(),
      state: 'pending' as const,
      lease_until: null,
      claimed_by: null,
      sent_at: null,
    }));
  // A reminder already made for the same moment (a move back to the same time) stays as it is.
  if (rows.length)
    await trx
      .insertInto('reminder')
      .values(rows)
      .onConflict((oc) => oc.columns(['appointment_id', 'lead', 'due_at']).doNothing())
      .execute();
}

/** Drops the reminders not yet sent (a move plans new ones; one being sent now is checked again by its runner). */
export async function cancelReminders(trx: Transaction<Database>, appointmentId: string): Promise<void> {
  await trx
    .deleteFrom('reminder')
    .where('appointment_id', '=', appointmentId)
    .where('state', 'in', ['pending', 'cancelled'])
    .execute();
}

/**
 * Serializes changes to one appointment (PostgreSQL: its row is locked until commit), so that a cancel and a move,
 * or two moves, at the same time cannot leave a slot held by nobody. SQLite runs one writer at a time anyway.
 */
export async function lockAppointment(trx: Transaction<Database>, dialect: DialectName, id: string): Promise<void> {
  if (dialect === 'postgres')
    await trx
      .selectFrom('fhir_resource')
      .select('id')
      .where('resource_type', '=', 'Appointment')
      .where('id', '=', id)
      .forUpdate()
      .execute();
}

/** Reads an Appointment for a change; someone else's (or a missing one) is the same 404. */
export async function appointmentFor(
  db: Kysely<Database>,
  id: string,
  patientIds: string[] | 'any',
): Promise<{ appointment: Appointment; patientId: string } | undefined> {
  const found = (await getResource(db, 'Appointment', id))?.resource as unknown as Appointment | undefined;
  const patientId = found?.participant
    ?.find((p) => p.actor?.reference?.startsWith('Patient/'))
    ?.actor?.reference?.slice('Patient/'.length);
  if (!found || !patientId || (patientIds !== 'any' && !patientIds.includes(patientId))) return undefined;
  return { appointment: found, patientId };
}

/** Cancels a booked appointment: the slot is released, pending reminders are dropped. */
export async function cancelAppointment(
  trx: Transaction<Database>,
  dialect: DialectName,
  appointment: Appointment,
  reason: string,
  now: Date,
): Promise<Appointment> {
  const cancelled: Appointment = { ...appointment, status: 'cancelled', cancelationReason: { text: reason } };
  await trx.deleteFrom('slot_booking').where('appointment_id', '=', appointment.id!).execute();
  await cancelReminders(trx, appointment.id!);
  await putResources(trx, dialect, [cancelled as unknown as JsonObject], now);
  return cancelled;
}
