import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * A phone number as typed, in E.164 (ITU-T E.164: "+", country code, up to 15 digits), or undefined: how every
 * number is stored. libphonenumber-js reads spaces, dots, dashes and brackets; a number without "+" is not
 * guessed at (the portal serves travellers, whose "local" is not the clinic's). A number must be possible for its
 * country (its length), not known to be assigned: numbering plans change faster than this code ships.
 */
export function normalizePhone(typed: string): string | undefined {
  const compact = typed.normalize('NFKC').trim();
  if (!compact.startsWith('+')) return undefined;
  const parsed = parsePhoneNumberFromString(compact);
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** A stored E.164 number the way people read it: "+1 507 555 0123", "+44 7700 900123". */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
