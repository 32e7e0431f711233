import { open } from 'node:fs/promises';
import { z } from 'zod';
import { isObject, type Json } from '../fhir-json/references.js';

/** A problem with a whole file or bundle (not JSON, not a Bundle, too big, …): nothing of it is written. */
export class BundleError extends Error {}

export const IMPORTABLE_BUNDLE_TYPES = ['transaction', 'batch', 'collection', 'document'] as const;
export type ImportableBundleType = (typeof IMPORTABLE_BUNDLE_TYPES)[number];

/** Bundles larger than this are refused unless the caller allows more (`import --max-mb`). */
export const DEFAULT_MAX_BUNDLE_BYTES = 32 * 1024 * 1024;

export interface ParsedBundle {
  type: ImportableBundleType;
  /** The raw entries, each checked on its own later: one bad entry does not spoil the file. */
  entries: unknown[];
}

/** The envelope of one entry (https://hl7.org/fhir/R4/bundle.html#resource); the resource is validated separately. */
export const entryEnvelope = z.looseObject({
  fullUrl: z.string().min(1).optional(),
  resource: z.unknown().optional(),
  request: z
    .looseObject({
      method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']),
      url: z.string().min(1),
      ifNoneExist: z.string().min(1).optional(),
    })
    .optional(),
});
export type EntryEnvelope = z.infer<typeof entryEnvelope>;

/** Checks that a parsed JSON value is a Bundle this importer loads; throws BundleError saying what it is instead. */
export function parseBundle(value: unknown): ParsedBundle {
  if (!isObject(value)) {
    throw new BundleError(
      `it is JSON but not a FHIR resource (a Bundle is an object; this is ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'null' : `a ${typeof value}`})`,
    );
  }
  if (value.resourceType !== 'Bundle') {
    const what = typeof value.resourceType === 'string' ? `a ${value.resourceType}` : 'an object without resourceType';
    throw new BundleError(`it is ${what}, not a Bundle`);
  }
  const type = value.type;
  if (!(IMPORTABLE_BUNDLE_TYPES as readonly Json[]).includes(type ?? null)) {
    throw new BundleError(
      `it is a Bundle of type ${JSON.stringify(type ?? null)}; import loads ${IMPORTABLE_BUNDLE_TYPES.join(', ')} bundles`,
    );
  }
  const entries = value.entry ?? [];
  if (!Array.isArray(entries)) throw new BundleError('its "entry" is not an array');
  if (entries.length === 0) throw new BundleError('the Bundle has no entries');
  return { type: type as ImportableBundleType, entries };
}

/** Parses JSON text as a Bundle; throws BundleError for text that is not JSON or not an importable Bundle. */
export function parseBundleText(text: string): ParsedBundle {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BundleError(`it is not JSON (${withLineAndColumn(text, (error as Error).message)})`);
  }
  return parseBundle(value);
}

/** Reads a bundle file, refusing one over `maxBytes` before reading it. Errors name the file. */
export async function readBundleFile(file: string, maxBytes = DEFAULT_MAX_BUNDLE_BYTES): Promise<ParsedBundle> {
  let text: string;
  try {
    const handle = await open(file, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new BundleError(`${file}: it is not a file`);
      if (stat.size > maxBytes) {
        throw new BundleError(
          `${file}: it is ${megabytes(stat.size)}, over the ${megabytes(maxBytes)} a bundle may have; ` +
            'split it into smaller bundles, or raise the limit with --max-mb',
        );
      }
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof BundleError) throw error;
    throw new BundleError(
      `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  try {
    return parseBundleText(text);
  } catch (error) {
    throw new BundleError(`${file}: ${(error as Error).message}`);
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** JSON.parse says "at position 1234"; a person wants the line and column. */
function withLineAndColumn(text: string, message: string): string {
  const match = / at position (\d+)/.exec(message);
  if (!match) return message;
  const position = Number(match[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return message.replace(match[0], ` at line ${line}, column ${column}`);
}
