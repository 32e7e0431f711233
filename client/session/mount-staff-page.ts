import { fixture, html } from '@open-wc/testing';
import type { SessionController } from './session-controller.js';

/**
 * For element tests of staff pages, called in a `describe`: while its tests run, the page's API requests are
 * answered from `answers` (by path; anything else is a 404), and each is recorded as `METHOD path body`.
 */
export function stubStaffApi(answers: Record<string, unknown>): string[] {
  const realFetch = window.fetch;
  const calls: string[] = [];
  before(() => {
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = new URL(String(input), location.origin).pathname;
      calls.push(`${init?.method ?? 'GET'} ${path} ${init?.body ?? ''}`);
      return path in answers
        ? new Response(JSON.stringify(answers[path]), { headers: { 'Content-Type': 'application/json' } })
        : new Response('{}', { status: 404 });
    };
  });
  after(() => void (window.fetch = realFetch));
  return calls;
}

/** For element tests: mounts the staff page `tag` for a staff account of `role`, once it shows its first table. */
export async function mountStaffPage(tag: string, role: string) {
  const host = await fixture<HTMLElement>(html`<div></div>`);
  const el = document.createElement(tag) as HTMLElement & {
    session: SessionController;
    updateComplete: Promise<boolean>;
  };
  el.session = { account: { id: 'staff-1', kind: 'staff', role } } as unknown as SessionController;
  host.append(el);
  for (let i = 0; i < 50 && !el.shadowRoot!.querySelector('table'); i++) await new Promise((r) => setTimeout(r, 20));
  await el.updateComplete;
  return el;
}
