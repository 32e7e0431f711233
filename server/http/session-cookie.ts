import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The session cookie (SECURITY.md; ASVS 3.3): the `__Host-` prefix pins it to this origin and path `/`, Secure and
 * HttpOnly keep it off plain HTTP and away from scripts, SameSite=Lax keeps it off cross-site posts. It has no
 * Max-Age: the server decides when a session ends, not the cookie.
 */
/** Written by Hono with its `host` prefix option, so the browser sees `__Host-mcl_session`. */
const NAME = 'mcl_session';
export const SESSION_COOKIE = `__Host-${NAME}`;

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, NAME, 'host');
}

export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, NAME, token, { path: '/', secure: true, httpOnly: true, sameSite: 'Lax', prefix: 'host' });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, NAME, { path: '/', secure: true, httpOnly: true, sameSite: 'Lax', prefix: 'host' });
}
