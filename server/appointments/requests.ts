import type { Appointment } from 'fhir/r4';
import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import { z } from 'zod';
import { fhirId } from '../http/ids.js';
import { addDays } from './clinic-time.js';

/** How far ahead a patient may ask for a visit. */
export const REQUEST_HORIZON_DAYS = 180;

export const TIMES_OF_DAY = { morning: 'mornings', afternoon: 'afternoons', any: 'any time of day' } as const;

/** An appointment request, as the patient writes it (offline too): what for, between which days, what time of day. */
export const requestInput = z
  .object({
    patientId: fhirId(),
    reason: z
      .string()
      .trim()
      .min(1, 'Say what the visit is for.')
      .max(1000, 'What the visit is for: at most 1,000 characters.'),
    earliest: z.iso.date('Earliest day: a date such as 2026-12-01.'),
    latest: z.iso.date('Latest day: a date such as 2026-12-14.'),
    timeOfDay: z.enum(['morning', 'afternoon', 'any'], 'Time of day: mornings, afternoons or any.'),
  })
  .strict();
export type RequestInput = z.infer<typeof requestInput>;

/**
 * Why these days cannot be asked for, or undefined. `today` is the clinic's date. A request written offline days
 * ago whose earliest day has passed is still fine as long as its latest day has not: the clinic books what is left.
 */
export function requestDaysProblem(
  input: Pick<RequestInput, 'earliest' | 'latest'>,
  today: string,
): string | undefined {
  if (input.latest < input.earliest) return 'The latest day is before the earliest day.';
  if (input.latest < today) return 'All the days asked for have passed. Please choose new days.';
  const horizon = addDays(today, REQUEST_HORIZON_DAYS);
  if (input.earliest > horizon || input.latest > horizon)
    return `Appointments can be asked for up to ${REQUEST_HORIZON_DAYS} days ahead.`;
  return undefined;
}

/** The request in the patient's record: a FHIR Appointment with status `proposed` and the days asked for. */
export function requestResource(input: {
  id: string;
  request: RequestInput;
  patientName: string;
  created: string;
}): Appointment {
  const { request: r } = input;
  return {
    resourceType: 'Appointment',
    id: input.id,
    status: 'proposed',
    created: input.created,
    description: 'Appointment request',
    reasonCode: [{ text: r.reason }],
    requestedPeriod: [{ start: r.earliest, end: r.latest }],
    comment: `Preferred: ${TIMES_OF_DAY[r.timeOfDay]}`,
    participant: [
      {
        actor: { reference: `Patient/${r.patientId}`, display: input.patientName },
        required: 'required',
        status: 'accepted',
      },
    ],
  };
}

/** Takes an open request out of the care team's queue (booked, declined, or withdrawn by the patient). */
export async function closeRequest(
  trx: Transaction<Database>,
  id: string,
  state: 'booked' | 'declined' | 'withdrawn',
  by: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('appointment_request')
    .set({ state, handled_at: now.toISOString(), handled_by: by })
    .where('appointment_id', '=', id)
    .where('state', '=', 'open')
    .execute();
}
