import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { core } from 'zod';
import { ApiError } from '../errors.js';

/**
 * Reads and validates a JSON request body at the edge (any Zod schema: classic, or zod/mini as common/ uses). Every failure is a 4xx with a reason:
 * wrong media type → 415, unparsable JSON → 400 invalid_json, schema mismatch → 400 invalid_body with one issue
 * per bad field. Size limits are enforced before this by the body-limit middleware (413).
 */
export async function readJsonBody<S extends core.$ZodType>(
  c: Context,
  schema: S,
  mediaTypes: readonly string[] = ['application/json'],
): Promise<z.output<S>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!mediaTypes.includes(type)) {
    throw new ApiError(415, 'unsupported_media_type', `Send the body as ${mediaTypes.join(' or ')}.`);
  }
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = z.safeParse(schema, value);
  if (!parsed.success) {
    // One issue per field, the first: a person fixes one thing at a time ("use the form YYYY-MM-DD", not also
    // "that date does not exist" for the same empty box).
    const byPath = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.') || '(body)';
      // The schemas' own messages are sentences that name their field; zod's defaults ("Invalid input: …") do
      // not, so the field's name is put before them.
      const generic = /^(Invalid|Too (small|big)|Unrecognized|Expected)/.test(issue.message);
      if (!byPath.has(path)) byPath.set(path, generic ? `${path}: ${issue.message}` : issue.message);
    }
    const issues = [...byPath].slice(0, 20).map(([path, message]) => ({ path, message }));
    throw new ApiError(
      400,
      'invalid_body',
      issues.length === 1
        ? issues[0]!.message
        : `${issues.length} answers need another look. The first: ${issues[0]!.message}`,
      issues,
    );
  }
  return parsed.data;
}

/** What a route declares it takes as its JSON body: the typed client (client/data/portal.ts) sends `in`. */
export interface JsonInput<S extends core.$ZodType> {
  in: { json: z.input<S> };
  out: { json: z.output<S> };
}

/**
 * The route middleware form of `readJsonBody`, with the same answers (415, 400 invalid_json, 400 invalid_body):
 * put it last before the handler, which reads the body with `c.req.valid('json')`. Declaring the body this way
 * puts its type into `AppType`, so a client call that sends a renamed or missing field fails the typecheck.
 */
export function jsonBody<S extends core.$ZodType>(
  schema: S,
  mediaTypes: readonly string[] = ['application/json'],
): MiddlewareHandler<any, string, JsonInput<S>> {
  return async (c, next) => {
    c.req.addValidatedData('json', (await readJsonBody(c, schema, mediaTypes)) as object);
    await next();
  };
}
