import * as z from 'zod/mini';
import { normalizePhone } from './phone.js';
import { DEFAULT_NOTIFY, type NotifyPrefs } from './notify-topics.js';

// Written with zod/mini: the page checks sign-up answers with these same rules before sending, and zod's full
// (chainable) build would make the sign-up page about 80 KiB (gzip) heavier for a patient on a weak connection.

/** A calendar date a person typed: real, YYYY-MM-DD, not in the future, not before 1900. */
export const pastDate = (label: string) =>
  z.string().check(
    z.trim(),
    z.regex(/^\d{4}-\d{2}-\d{2}$/, `${label}: use the form YYYY-MM-DD.`),
    z.refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    }, `${label}: that date does not exist.`),
    z.refine(
      (s) => s >= '1900-01-01' && s <= new Date().toISOString().slice(0, 10),
      `${label}: the date must be between 1900 and today.`,
    ),
  );

const channel = z.strictObject({ email: z.boolean(), text: z.boolean() });

export const notifySchema = z._default(
  z.strictObject({ newMessage: channel, appointmentReminder: channel, newResult: channel }),
  DEFAULT_NOTIFY,
) satisfies z.ZodMiniType<NotifyPrefs>;

/** A username anyone chooses (patients at sign-up, staff at set-up): 3–32 letters, digits, dots, dashes, underscores. */
export const usernameSchema = z
  .string()
  .check(
    z.trim(),
    z.minLength(3, 'Username: at least 3 characters.'),
    z.maxLength(32, 'Username: at most 32 characters.'),
    z.regex(/^[\p{L}\p{N}._-]+$/u, 'Username: letters, digits, dots, dashes and underscores only.'),
  );

const accountFields = {
  email: z.email('Enter an email address such as name@example.com.').check(z.maxLength(254)),
  username: usernameSchema,
  password: z
    .string()
    .check(z.minLength(1, 'Choose a password.'), z.maxLength(1024, 'Password: at most 128 characters.')),
  // Stored in E.164, as every number is (common/phone.ts).
  phone: z.optional(
    z.pipe(
      z.string().check(z.trim(), z.maxLength(40, 'Mobile phone: at most 40 characters.')),
      z.transform((typed: string, ctx) => {
        if (typed === '') return undefined;
        const e164 = normalizePhone(typed);
        if (!e164)
          ctx.issues.push({
            code: 'custom',
            input: typed,
            message: 'Mobile phone: start with + and the country code, for example +1 507 555 0123.',
          });
        return e164;
      }),
    ),
  ),
  notify: notifySchema,
};

const text = (min: number, max: number, missing: string) =>
  z.string().check(z.trim(), z.minLength(min, missing), z.maxLength(max));

export const signupBody = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('activation-code'),
    activationCode: text(4, 40, 'Enter the activation code from the clinic.'),
    birthDate: pastDate('Date of birth'),
    ...accountFields,
  }),
  z.strictObject({
    method: z.literal('record'),
    mrn: text(1, 64, 'Enter your medical record number.'),
    birthDate: pastDate('Date of birth'),
    lastName: text(1, 100, 'Enter your last name as the clinic has it.'),
    lastVisitDate: pastDate('Date of your last visit'),
    ...accountFields,
  }),
]);

export type SignupBody = z.infer<typeof signupBody>;
