import { fixture, html } from '@open-wc/testing';
import type { SessionController } from './session-controller.js';
import type { RecordPage } from './record-page.js';
import { openVault, wipeVault } from '../record/open-vault.js';
import type { Vault } from '../record/vault.js';
import { RecordSession, useRecordSession } from '../record/record-session.js';

/**
 * For element tests: mounts a record page for account `acct` reading `patientId`, with `props` set first (e.g. the
 * clinic), and waits until it has read the vault (its `loaded` state) and rendered what it read.
 */
export async function mountRecordPage<T extends RecordPage>(
  tag: string,
  patientId: string,
  props: Record<string, unknown> = {},
): Promise<T> {
  const el = await fixture<HTMLElement>(html`<div></div>`);
  const page = document.createElement(tag) as T;
  page.session = { account: { id: 'acct', patientId } } as unknown as SessionController;
  Object.assign(page, props);
  el.append(page);
  for (let i = 0; i < 100 && !(page as unknown as { loaded: boolean }).loaded; i++)
    await new Promise((r) => setTimeout(r, 20));
  await page.updateComplete;
  await new Promise((r) => setTimeout(r, 30));
  await page.updateComplete;
  return page;
}

/**
 * For element tests: a real vault in IndexedDB named `db`, filled by `fill`, with a last sync at `lastSyncAt`,
 * served to record pages as the record session of account `acct`. `close()` ends the session and deletes it.
 */
export async function openTestRecord(
  db: string,
  patientId: string,
  fill: (vault: Vault) => Promise<void>,
  lastSyncAt = new Date().toISOString(),
) {
  const vault = await openVault('acct', new Uint8Array(32).fill(7), db);
  await fill(vault);
  await vault.db.sync.put({ patientId, cursor: 1, lastSyncAt });
  const session = new RecordSession('acct', patientId, async () => vault);
  useRecordSession(session);
  await session.open();
  return {
    vault,
    close: async () => {
      session.close();
      await wipeVault(db);
    },
  };
}
