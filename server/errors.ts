import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one error shape of the API: `{ "error": "<machine code>", "message": "<sentence for a person>" }`, plus
 * optional `issues` naming each bad field. Thrown anywhere in a handler; app.onError turns it into the response.
 * Services (auth/, messages/, appointments/) throw it too, so it sits below them and http/, which builds on auth/.
 */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
    /** More fields for the body beside `error` and `message` (e.g. `scope` of a missing_scope refusal). */
    readonly extra?: Record<string, string>,
  ) {
    super(status, { message });
  }
}

export function errorBody(code: string, message: string, issues?: { path: string; message: string }[]) {
  return issues ? { error: code, message, issues } : { error: code, message };
}

export function jsonError(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json(errorBody(code, message), status);
}
