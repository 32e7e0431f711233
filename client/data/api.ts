/**
 * What every call to the portal's API goes through (the typed client in portal.ts and the outbox): the CSRF
 * header, the offline check, the time limit; errors come back as ApiProblem with the server's sentence for a
 * person. Records never come through here for a page: pages read the local database (ARCHITECTURE.md).
 */
export const CSRF_HEADER = 'X-Requested-With';
export const CSRF_HEADER_VALUE = 'mayocarelink';

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const OFFLINE_MESSAGE = 'You are offline. This needs a connection: please try again when you are back online.';

/**
 * How long a call may wait for the server's answer to begin before it is given up: 30 s, plus time to upload the
 * body at 64 kbit/s (a weak connection on a train or a plane's wifi). A connection that hangs must not hold the
 * outbox's lock, or a button, for ever; what was given up is tried again later with the same Idempotency-Key, so
 * it still counts once. Once the answer has begun, reading it is not cut short (a feed page may be large).
 */
export function apiTimeoutMs(bodyBytes: number): number {
  return apiTiming.waitMs + Math.ceil(bodyBytes / 8);
}
/** Seam for tests: the wait for an answer to begin, before the upload allowance. */
export const apiTiming = { waitMs: 30_000 };

/**
 * The `fetch` every API call goes through: refuses at once when offline, adds the CSRF header, gives up when the
 * answer has not begun within `apiTimeoutMs`, and turns a network failure into an ApiProblem with status 0 (what
 * was given up is tried again later, with the same Idempotency-Key).
 */
export async function portalFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  if (!navigator.onLine) throw new ApiProblem(0, 'offline', OFFLINE_MESSAGE);
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  headers.set(CSRF_HEADER, CSRF_HEADER_VALUE);
  const abort = new AbortController();
  const size = typeof init.body === 'string' ? init.body.length : 0;
  const timer = setTimeout(() => abort.abort(), apiTimeoutMs(size));
  try {
    return await fetch(input, { ...init, headers, credentials: 'same-origin', signal: abort.signal });
  } catch {
    if (abort.signal.aborted) {
      throw new ApiProblem(0, 'timeout', 'The portal took too long to answer. Check your connection and try again.');
    }
    throw new ApiProblem(0, 'network', 'The portal could not be reached. Check your connection and try again.');
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The JSON of an answer, or the ApiProblem it stands for: the server's own code and sentence for a person, the
 * field issues of a refused form, and the whole body for callers that need more (e.g. a second step).
 */
export async function readAnswer<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new ApiProblem(
      response.status,
      String(data.error ?? 'error'),
      String(data.message ?? 'Something went wrong. Please try again.'),
      (data.issues as { path: string; message: string }[] | undefined) ?? [],
      data,
    );
  }
  return data as T;
}
