import { fixture, html } from '@open-wc/testing';
import type { SessionController } from '../../app/session-controller.js';
import type { RecordPage } from './record-page.js';

/**
 * For element tests: mounts a record page for account `acct` reading `patientId`, with `props` set first (e.g. the
 * clinic), and waits until it has read the vault (its `loaded` state) and rendered what it read.
 */
export async function mountRecordPage<T extends RecordPage>(tag: string, patientId: string, props: Record<string, unknown> = {}): Promise<T> {
  const el = await fixture<HTMLElement>(html`<div></div>`);
  const page = document.createElement(tag) as T;
  page.session = { account: { id: 'acct', patientId } } as unknown as SessionController;
  Object.assign(page, props);
  el.append(page);
  for (let i = 0; i < 100 && !(page as unknown as { loaded: boolean }).loaded; i++) await new Promise((r) => setTimeout(r, 20));
  await page.updateComplete;
  await new Promise((r) => setTimeout(r, 30));
  await page.updateComplete;
  return page;
}
