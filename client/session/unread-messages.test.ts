import { expect, fixture, html } from '@open-wc/testing';
import type { Communication } from 'fhir/r4';
import { testConversation } from './test-conversation.js';
import { openTestRecord } from './mount-record-page.js';
import type { UnreadMessages } from './unread-messages.js';
import { markRead } from '../record/conversations.js';
import type { Vault } from '../record/vault.js';
import type { SignedInAccount } from './session-controller.js';

const P = 'patient-unread';
const DB = 'mcl-vault-unread-test';
const { at, message, synced: store } = testConversation(P);

const account = { id: 'acct', kind: 'patient', patientId: P } as SignedInAccount;
async function until(ok: () => boolean, ms = 3000) {
  for (let t = 0; t < ms && !ok(); t += 20) await new Promise((r) => setTimeout(r, 20));
}
/** The link as the navigation renders it: the title, then the count (app.ts). */
async function navLink() {
  const counts: number[] = [];
  const link = await fixture<HTMLAnchorElement>(
    html`<nav aria-label="Main">
      <a href="/messages" @mcl-unread-change=${(e: CustomEvent<{ count: number }>) => counts.push(e.detail.count)}
        >Messages<mcl-unread-messages .account=${account}></mcl-unread-messages
      ></a>
    </nav>`,
  );
  const badge = link.querySelector('mcl-unread-messages') as UnreadMessages;
  const shown = () => badge.shadowRoot!.querySelector('.badge')?.textContent ?? '';
  return { nav: link, badge, shown, counts };
}

describe('unread replies: the navigation count, live from the local record', () => {
  let vault: Vault;
  let close: () => Promise<void>;
  /** As the sync writes a page of the feed. */
  const synced = (resources: Communication[]) => store(vault, resources);

  beforeEach(async () => {
    ({ vault, close } = await openTestRecord(DB, P, async (v) => {
      // The first download: her own message, and a reply she opened on her phone last week (read on the server).
      await v.put(
        P,
        [message('t1', 0, 'patient'), message('r0', 5, 'team', { received: at(6) })] as never[],
        [],
        undefined,
        true,
      );
    }));
    await import('./unread-messages.js');
  });
  afterEach(() => close());

  it('shows no count while nothing is unread, then the count a sync brings, with no reload; axe clean', async () => {
    const { nav, badge, shown, counts } = await navLink();
    await until(() => counts.length > 0);
    expect(shown()).to.equal('');
    expect(counts.at(-1)).to.equal(0);
    await expect(nav).to.be.accessible();
    await synced([message('r1', 10, 'team'), message('r2', 20, 'team')]);
    await until(() => shown() === '2');
    expect(shown()).to.equal('2');
    expect(counts.at(-1), 'the navigation names the link "Messages, 2 unread"').to.equal(2);
    expect(badge.shadowRoot!.querySelector('.badge')!.getAttribute('aria-hidden')).to.equal('true');
    await expect(nav).to.be.accessible();
  });

  it('the count goes when the reply is read on another device (its read mark comes through the feed)', async () => {
    await synced([message('r1', 10, 'team')]);
    const { shown, counts } = await navLink();
    await until(() => shown() === '1');
    expect(shown()).to.equal('1');
    await synced([message('r1', 10, 'team', { received: at(30) })]);
    await until(() => shown() === '');
    expect(shown()).to.equal('');
    expect(counts.at(-1)).to.equal(0);
  });

  it('the count goes at once when the conversation is opened here, and the read mark is queued for the server', async () => {
    await synced([message('r1', 10, 'team'), message('r2', 20, 'team')]);
    const { shown } = await navLink();
    await until(() => shown() === '2');
    const messages = (await vault.list<Communication>(P, 'Communication')).reverse();
    const told = markRead(vault, P, { id: 't1', subject: 'Knee', messages });
    expect(await told).to.equal('r2', 'up to the last reply shown');
    await until(() => shown() === '');
    expect(shown()).to.equal('');
    // Nothing left to tell once the server has it all.
    expect(
      await markRead(vault, P, {
        id: 't1',
        subject: 'Knee',
        messages: messages.map((m) => ({ ...m, received: at(40) })),
      }),
    ).to.equal(undefined);
  });
});
