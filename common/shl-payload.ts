import { z } from 'zod';
import { fromBase64Url, isBase64Url, toBase64Url } from './base64url.js';

/**
 * The SMART Health Link payload ([4/11], SMART Health Links specification): what a `shlink:/` link carries. The
 * link is `shlink:/` followed by the base64url (no padding) of this JSON, optionally after a viewer's address and `#`.
 * `key` is the 32-byte content key (base64url, 43 characters), made on the device and never sent to the server; `url`
 * is the manifest address; `exp` the expiry in seconds since 1970; `flag` letters in alphabetical order: L (long-term,
 * may change), P (passcode needed), U (the url is the one file itself, no manifest; never with P); `label` at most 80
 * characters; `v` the version, 1.
 */
export const shlPayloadSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(128 * 8),
    key: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'The key is not 32 bytes in base64url (43 characters).'),
    exp: z.number().positive().optional(), // a decimal in the HL7 IG's ShlPayload model, so not only whole seconds
    flag: z
      .string()
      .regex(/^L?P?U?$/, 'The flag holds only L, P and U, in that order.')
      .refine((f) => !(f.includes('P') && f.includes('U')), 'A link with U (one file) cannot need a passcode (P).')
      .optional(),
    label: z.string().max(80).optional(),
    v: z.literal(1).optional(),
  })
  .strict();

export type ShlPayload = z.infer<typeof shlPayloadSchema>;

const PREFIX = 'shlink:/';
const DAMAGED = 'The link is damaged: part of it is missing or changed.';

/** The `shlink:/…` text of a payload, after `viewer#` when a viewer address is given. */
export function encodeShlink(payload: ShlPayload, viewer?: string): string {
  const valid = shlPayloadSchema.parse(payload);
  const link = PREFIX + toBase64Url(new TextEncoder().encode(JSON.stringify(valid)));
  return viewer ? `${viewer}#${link}` : link;
}

/**
 * The payload of a link as a person pasted or scanned it (bare, or after a viewer's `#`), or the reason it cannot be
 * used, in words for the person opening it.
 */
export function decodeShlink(text: string): { ok: true; payload: ShlPayload } | { ok: false; reason: string } {
  const at = text.indexOf(PREFIX);
  if (at < 0) return { ok: false, reason: 'This is not a SMART Health Link (it has no “shlink:/”).' };
  const encoded = text.slice(at + PREFIX.length).trim();
  if (!isBase64Url(encoded)) return { ok: false, reason: DAMAGED };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(encoded)));
  } catch {
    return { ok: false, reason: DAMAGED };
  }
  const parsed = shlPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `The link is damaged (${issue.path.join('.') || 'payload'}: ${issue.message}).` };
  }
  return { ok: true, payload: parsed.data };
}

/** Whether the link has passed its expiry at `now` (a link with no `exp` does not expire by itself). */
export const shlinkExpired = (payload: ShlPayload, now: Date): boolean =>
  payload.exp !== undefined && payload.exp * 1000 <= now.getTime();
