import type { TestApp } from './app.js';
import { SoftAuthenticator } from './soft-authenticator.js';

/**
 * A staff session the way staff really get one ([4/8]: staff must use passkeys): password sign-in (a session that
 * may only add a passkey), register a software passkey, confirm with it. Returns the session cookie.
 */
export async function staffPasskeySession(t: TestApp, login: string, password: string): Promise<string> {
  const headers = { Origin: t.config.publicOrigin, 'X-Requested-With': 'mayocarelink', 'Content-Type': 'application/json' };
  const post = async (path: string, body: unknown, cookie?: string) => {
    const res = await t.app.request(path, { method: 'POST', headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return { json: (await res.json()) as any, cookie: res.headers.get('set-cookie')?.split(';')[0] };
  };
  const key = new SoftAuthenticator(t.config.publicOrigin);
  const first = await post('/api/session', { login, password });
  if (!first.cookie) throw new Error(`${login}: expected a password-only staff session (has this account a passkey already?)`);
  const options = await post('/api/factors/passkeys/options', {}, first.cookie);
  await post('/api/factors/passkeys', { name: 'Test key', response: key.register(options.json) }, first.cookie);
  const challenge = await post('/api/session/reauth/passkey-options', {}, first.cookie);
  const confirmed = await post('/api/session/reauth/passkey', { response: key.authenticate(challenge.json) }, first.cookie);
  return confirmed.cookie!;
}
