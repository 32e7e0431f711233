import { expect } from '@open-wc/testing';
import { openVault, wipeVault } from './open-vault.js';
import { enqueue, flush, sendingGroups } from './outbox.js';
import type { OutboxItem } from './vault.js';

const NAME = 'mcl-vault-outbox-test';

describe('the outbox (real IndexedDB, real fetch)', () => {
  afterEach(() => wipeVault(NAME));

  it('keeps an item sealed, waits while there is no connection, and keeps a refusal with its reason', async () => {
    const vault = await openVault('acct', new Uint8Array(32).fill(5), NAME);
    // Nothing listens on port 9 of this machine: the send fails like a lost connection.
    const offline = await enqueue(vault, {
      kind: 'refill',
      subject: 'm1',
      path: 'http://127.0.0.1:9/api/refills',
      body: { medicationRequestId: 'm1', pharmacy: 'Main Street Pharmacy' },
    });
    // The test server has no such API: it answers 404, a refusal.
    const refused = await enqueue(vault, {
      kind: 'refill',
      subject: 'm2',
      path: '/api/no-such-api',
      body: { medicationRequestId: 'm2', pharmacy: 'Main Street Pharmacy' },
    });
    const raw = JSON.stringify(await vault.db.outbox.toArray(), (_k, v) =>
      v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? new TextDecoder('latin1').decode(v as ArrayBuffer) : v,
    );
    expect(raw).not.to.contain('Main Street');
    expect(await flush(vault)).to.equal(1, 'one item still waiting');
    const items = await vault.outboxItems();
    expect(items.find((i) => i.id === offline.id)!.state).to.equal('waiting');
    const kept = items.find((i) => i.id === refused.id)!;
    expect(kept.state).to.equal('refused');
    expect(kept.problem).to.contain('404');
    expect(offline.id).to.match(/^[0-9a-f-]{36}$/);
    vault.db.close();
  });

  it('groups what must arrive in order (one conversation, one prescription); new conversations and requests stand alone', () => {
    const item = (id: string, kind: OutboxItem['kind'], subject: string, createdAt: string): OutboxItem => ({
      id,
      kind,
      subject,
      createdAt,
      state: 'waiting',
      path: '/',
      body: {},
    });
    const groups = sendingGroups([
      item('r2', 'message', 'thread-1', '2026-11-25T10:02:00Z'),
      item('n1', 'message', 'new', '2026-11-25T10:00:00Z'),
      item('r1', 'message', 'thread-1', '2026-11-25T10:01:00Z'),
      item('n2', 'message', 'new', '2026-11-25T10:03:00Z'),
      item('f1', 'refill', 'med-1', '2026-11-25T10:04:00Z'),
      item('a1', 'appointment', 'request', '2026-11-25T10:05:00Z'),
      item('a2', 'appointment', 'request', '2026-11-25T10:06:00Z'),
    ]);
    expect(groups.map((g) => g.map((i) => i.id))).to.deep.equal([['n1'], ['r1', 'r2'], ['n2'], ['f1'], ['a1'], ['a2']]);
  });

  it('a reply that cannot go yet holds back the later reply in the same conversation', async () => {
    const vault = await openVault('acct', new Uint8Array(32).fill(5), NAME);
    const first = await enqueue(vault, {
      kind: 'message',
      subject: 'thread-1',
      path: 'http://127.0.0.1:9/api/messages',
      body: { body: 'first' },
    });
    await new Promise((r) => setTimeout(r, 5));
    const second = await enqueue(vault, {
      kind: 'message',
      subject: 'thread-1',
      path: '/api/no-such-api',
      body: { body: 'second' },
    });
    expect(await flush(vault)).to.equal(2);
    const states = Object.fromEntries((await vault.outboxItems()).map((i) => [i.id, i.state]));
    expect(states).to.deep.equal(
      { [first.id]: 'waiting', [second.id]: 'waiting' },
      'the second was not sent before the first',
    );
    vault.db.close();
  });

  it("leaves aside a row that does not open with this record's keys, and still lists the others", async () => {
    const vault = await openVault('acct', new Uint8Array(32).fill(5), NAME);
    const mine = await enqueue(vault, {
      kind: 'message',
      subject: 'new',
      path: '/api/messages',
      body: { body: 'mine' },
    });
    await vault.db.outbox.put({
      id: 'stranger',
      createdAt: '2020-01-01T00:00:00Z',
      state: 'waiting',
      iv: new Uint8Array(12),
      data: new Uint8Array(40).buffer,
    });
    expect((await vault.outboxItems()).map((i) => i.id)).to.deep.equal([mine.id]);
    vault.db.close();
  });
});
