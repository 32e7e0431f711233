/**
 * Calls to the portal's API for online-only work (sign-in, sign-up, account settings). Every call carries the
 * header the server's CSRF check expects; errors come back as ApiProblem with the server's sentence for a person.
 * Records never come through here: they are read from the local database (ARCHITECTURE.md).
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

export async function api<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  if (!navigator.onLine) throw new ApiProblem(0, 'offline', OFFLINE_MESSAGE);
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        [CSRF_HEADER]: CSRF_HEADER_VALUE,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiProblem(0, 'network', 'The portal could not be reached. Check your connection and try again.');
  }
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
