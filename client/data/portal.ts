import { hc, type ClientResponse } from 'hono/client';
import type { AppType } from '../../server/app.js';
import { portalFetch, readAnswer } from './api.js';

/**
 * The typed API client (ARCHITECTURE.md, client/data): `hono/client` over the server's exported `AppType`, so a
 * renamed route or field breaks the typecheck, not a patient. Only types come from the server; every call goes
 * through `portalFetch` (offline check, CSRF header, time limit). Use it as `await ok(portal.api.session.$get())`.
 */
export const portal = hc<AppType>(globalThis.location?.origin ?? 'http://localhost', { fetch: portalFetch });

/** The JSON body of the successful (2xx) answers a typed call can give. */
export type Success<R> =
  R extends ClientResponse<infer T, infer S, infer _F> ? (S extends 200 | 201 | 202 | 204 ? T : never) : never;

/**
 * Waits for a typed call and returns its successful answer's JSON; any other answer is thrown as an ApiProblem
 * with the server's sentence (client/data/api.ts).
 */
export async function ok<R extends ClientResponse<unknown, number, 'json' | 'text' | string>>(
  call: Promise<R>,
): Promise<Success<R>> {
  return readAnswer<Success<R>>((await call) as unknown as Response);
}
