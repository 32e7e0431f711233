import { z } from 'zod';
import { normalizePhone } from './phone.js';
import { DEFAULT_NOTIFY, type NotifyPrefs } from './notify-topics.js';

/** A calendar date a person typed: real, YYYY-MM-DD, not in the future, not before 1900. */
export const pastDate = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}: use the form YYYY-MM-DD.`)
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    }, `${label}: that date does not exist.`)
    .refine(
      (s) => s >= '1900-01-01' && s <= new Date().toISOString().slice(0, 10),
      `${label}: the date must be between 1900 and today.`,
    );

const channel = z.object({ email: z.boolean(), text: z.boolean() }).strict();

export const notifySchema = z
  .object({ newMessage: channel, appointmentReminder: channel, newResult: channel })
  .strict()
  .default(DEFAULT_NOTIFY) satisfies z.ZodType<NotifyPrefs>;

/** A username anyone chooses (patients at sign-up, staff at set-up): 3–32 letters, digits, dots, dashes, underscores. */
export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'Username: at least 3 characters.')
  .max(32, 'Username: at most 32 characters.')
  .regex(/^[\p{L}\p{N}._-]+$/u, 'Username: letters, digits, dots, dashes and underscores only.');

const accountFields = {
  email: z.email('Enter an email address such as name@example.com.').max(254),
  username: usernameSchema,
  password: z.string().min(1, 'Choose a password.').max(1024, 'Password: at most 128 characters.'),
  // Stored in E.164, as every number is (common/phone.ts).
  phone: z
    .string()
    .trim()
    .max(40, 'Mobile phone: at most 40 characters.')
    .transform((typed, ctx) => {
      if (typed === '') return undefined;
      const e164 = normalizePhone(typed);
      if (!e164)
        ctx.addIssue({
          code: 'custom',
          message: 'Mobile phone: start with + and the country code, for example +1 507 555 0123.',
        });
      return e164;
    })
    .optional(),
  notify: notifySchema,
};

export const signupBody = z.discriminatedUnion('method', [
  z
    .object({
      method: z.literal('activation-code'),
      activationCode: z.string().trim().min(4, 'Enter the activation code from the clinic.').max(40),
      birthDate: pastDate('Date of birth'),
      ...accountFields,
    })
    .strict(),
  z
    .object({
      method: z.literal('record'),
      mrn: z.string().trim().min(1, 'Enter your medical record number.').max(64),
      birthDate: pastDate('Date of birth'),
      lastName: z.string().trim().min(1, 'Enter your last name as the clinic has it.').max(100),
      lastVisitDate: pastDate('Date of your last visit'),
      ...accountFields,
    })
    .strict(),
]);

export type SignupBody = z.infer<typeof signupBody>;
