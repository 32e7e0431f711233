import { fixture, html } from '@open-wc/testing';
import type { SessionController } from '../../session/session-controller.js';
import type { SharingEntry } from './sharing-words.js';

// For the caregiver pages' element tests: the API answered as the server answers (server/routes/sharing.ts,
// caregiver.ts), and a signed-in session.

/** One answer: a status and a JSON body; a function gets the request's body (parsed) and may answer in turn. */
export type Answer =
  { status?: number; body: unknown } | ((body: any, call: number) => { status?: number; body: unknown });

/**
 * Answers the page's API requests from `answers`, keyed `METHOD /path` (anything else: 404), until `restore()`.
 * Each request is kept as `METHOD /path body`.
 */
export function fakeApi(answers: Record<string, Answer>): { calls: string[]; restore(): void } {
  const realFetch = window.fetch;
  const calls: string[] = [];
  const counts = new Map<string, number>();
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.origin);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const text = typeof init?.body === 'string' ? init.body : '';
    const key = `${method} ${url.pathname}`;
    calls.push(`${key} ${text}`);
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    const answer = answers[key];
    if (!answer) return new Response(JSON.stringify({ error: 'not_found', message: 'Not found.' }), { status: 404 });
    const { status = 200, body } =
      typeof answer === 'function' ? answer(text ? JSON.parse(text) : undefined, n) : answer;
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { calls, restore: () => void (window.fetch = realFetch) };
}

/** A signed-in patient (with a record of their own unless `patientId` is null), as pages read the session. */
export function fakeSession(patientId: string | null = 'pat-ada'): SessionController {
  return {
    account: {
      id: 'acct-1',
      kind: 'patient',
      username: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.com',
      role: null,
      patientId,
    },
    info: { passkeys: 0 },
    accept() {},
  } as unknown as SessionController;
}

/** Mounts `tag` with `session` (null: nobody signed in), and waits until it has shown more than "Loading…". */
export async function mountPage<T extends HTMLElement & { updateComplete: Promise<boolean> }>(
  tag: string,
  session: SessionController | null = fakeSession(),
  props: Record<string, unknown> = {},
): Promise<T> {
  const host = await fixture<HTMLElement>(html`<div></div>`);
  const el = document.createElement(tag) as T & { session?: SessionController };
  if (session) el.session = session;
  Object.assign(el, props);
  host.append(el);
  await settle(el);
  return el;
}

/** Waits until the page has no "Loading…"/"Opening…" status and nothing is busy. */
export async function settle(el: HTMLElement & { updateComplete: Promise<boolean> }): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 20));
    const status = el.shadowRoot?.querySelector('[role=status]')?.textContent ?? '';
    if (!/Loading|Opening/.test(status)) break;
  }
  await el.updateComplete;
}

/** Waits until `test` holds (a request answered, a dialog opened). */
export async function until(test: () => unknown, what = 'the page to answer'): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`waited for ${what}`);
}

/** A caregiver on the Sharing list, as the server shows one (server/caregivers/views.ts). */
export function entry(over: Partial<SharingEntry> = {}): SharingEntry {
  return {
    id: 'g-1',
    kind: 'caregiver',
    name: 'Sam Lee',
    email: 'sam@example.com',
    acceptedBy: { name: 'Sam Lee', email: 'sam@example.com' },
    state: 'active',
    scopes: ['records', 'messages'],
    allowedNow: ['records', 'messages'],
    endsOn: '2030-06-30',
    endsAt: '2030-07-01T05:00:00.000Z',
    invitedAt: '2026-11-28T10:00:00.000Z',
    inviteExpiresAt: null,
    acceptedAt: '2026-11-28T11:00:00.000Z',
    revokedAt: null,
    leftAt: null,
    changeable: true,
    consent: { version: '1', acceptedAt: '2026-11-28T10:00:00.000Z', scopes: ['records', 'messages'], current: true },
    ...over,
  };
}

/** Fills in the invitation form (`mcl-invite-form`) for Sam Lee with `scopes`, the consent ticked, and sends it. */
export async function sendInvite(form: HTMLElement & { updateComplete: Promise<boolean> }, scopes: string[]) {
  await form.updateComplete;
  const f = form.shadowRoot!;
  f.querySelector<HTMLInputElement>('#invite-name')!.value = 'Sam Lee';
  f.querySelector<HTMLInputElement>('#invite-email')!.value = 'sam@example.com';
  for (const s of scopes) f.querySelector<HTMLInputElement>(`input[value="${s}"]`)!.checked = true;
  f.querySelector<HTMLInputElement>('#invite-agree')!.checked = true;
  [...f.querySelectorAll('button')].find((b) => /Send the invitation/.test(b.textContent ?? ''))!.click();
  return f;
}
