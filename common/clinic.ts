import { z } from 'zod';
import { CARE_SCOPES } from './caregiver-consent.js';

// The clinic's public settings: what the page shows and the server reads from CLINIC_CONFIG (server/clinic.ts).

const phone = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[0-9+()\-. ]+$/, 'a phone number may hold digits, spaces and + ( ) - . only');
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is written #rrggbb');
const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * What the clinic tells every visitor, signed in or not: its name, how to reach support, and what to do when
 * something is urgent. Public information, so the Help page may keep it for offline use.
 */
export const clinicSchema = z
  .object({
    name: text(100),
    shortName: text(12),
    themeColor: colour,
    backgroundColor: colour,
    timeZone: text(64).refine(isTimeZone, 'an IANA time zone such as America/Chicago'),
    support: z
      .object({
        phone,
        email: z.email().optional(),
        hours: z
          .array(z.object({ days: text(60), hours: text(60) }).strict())
          .min(1)
          .max(14),
      })
      .strict(),
    /** Who patients may write to besides the clinicians and care teams in their own record. */
    departments: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'a department id is 1 to 40 lowercase letters, digits or -'),
            name: text(80),
          })
          .strict(),
      )
      .min(1)
      .max(50)
      .refine((list) => new Set(list.map((d) => d.id)).size === list.length, 'department ids must differ'),
    urgent: z
      .object({
        emergencyNumber: phone,
        nurseLine: z.object({ phone, hours: text(60) }).strict(),
        guidance: text(600),
      })
      .strict(),
    /**
     * A guardian's access to a minor's record ([3/11]), by the child's age in whole years on the clinic's calendar
     * (`timeZone`): from `narrowAt` the guardian may do only `narrowedScopes` (of what they were given); from
     * `endsAt` the guardian's access ends, unless the young adult grants it again as a caregiver.
     */
    minors: z
      .object({
        narrowAt: z.number().int().min(0).max(25),
        narrowedScopes: z.array(z.enum(CARE_SCOPES)).max(CARE_SCOPES.length),
        endsAt: z.number().int().min(1).max(30),
      })
      .strict()
      .refine((m) => m.narrowAt <= m.endsAt, 'minors.narrowAt must not be after minors.endsAt'),
  })
  .strict();

/**
 * The booking rules the server keeps (set by its environment, CANCEL_CUTOFF_HOURS, not by a clinic file), sent in
 * /clinic.json so that pages can say them before a patient starts, offline too: patients may book, move or cancel
 * a visit online until `changeCutoffHours` before it starts; after that they call the support number.
 */
export interface BookingRules {
  changeCutoffHours: number;
}

/** The clinic's settings as the page gets them: the clinic file, with the server's booking rules. */
export type ClinicInfo = z.infer<typeof clinicSchema> & { booking?: BookingRules };

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
