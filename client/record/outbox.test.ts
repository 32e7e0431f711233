import { expect } from '@open-wc/testing';
import { openVault, wipeVault } from './open-vault.js';
import { enqueue, flush, sendingGroups } from './outbox.js';
import type { OutboxItem } from './vault.js';

const NAME = 'mcl-vault-outbox-test';

describe('the outbox (real IndexedDB, real fetch)', () => {
  afterEach(() => wipeVault(NAME));

  it('keeps an item sealed, waits while there is no connection, and keeps a refusal with its reason', async () => {
    const vault = await openVault('acct', new Uint8Array(32).fill(5), NAME);
    // The test server answers this one 503, like a portal that cannot be reached for now (web-test-runner.config).
    const offline = await enqueue(vault, {
      action: 'refill.request',
      subject: 'm1',
      body: { medicationRequestId: 'm1', pharmacy: 'Main Street Pharmacy', note: 'unreachable' },
    });
    // And this one 404: a refusal.
    const refused = await enqueue(vault, {
      action: 'refill.request',
      subject: 'm2',
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

  it('still sends what an earlier version of the app stored with a path instead of an action', async () => {
    const vault = await openVault('acct', new Uint8Array(32).fill(5), NAME);
    const before = { createdAt: new Date().toISOString(), state: 'waiting' as const, kind: 'refill' as const };
    // Stored as the app stored it before outbox actions had names.
    await vault.putOutbox({
      ...before,
      id: 'legacy-known',
      subject: 'm1',
      path: '/api/refills',
      body: { medicationRequestId: 'm1', note: 'unreachable' },
    } as unknown as OutboxItem);
    await vault.putOutbox({
      ...before,
      id: 'legacy-unknown',
      subject: 'm2',
      path: '/api/gone',
      body: {},
    } as unknown as OutboxItem);
    expect(await flush(vault)).to.equal(1, 'the known one was posted (503 here) and waits');
    const items = Object.fromEntries((await vault.outboxItems()).map((i) => [i.id, i]));
    expect(items['legacy-known']!.state).to.equal('waiting');
    expect(items['legacy-unknown']!.state).to.equal('refused');
    expect(items['legacy-unknown']!.problem).to.contain('no longer knows how to send');
    vault.db.close();
  });

  it('a read mark goes to its conversation (the id encoded in the path), waits while unreachable, and is let go once answered', async () => {
    const vault = await openVault('acct', new Uint8Array(32).fill(5), NAME);
    const waits = await enqueue(vault, { action: 'message.read', subject: 'thread-1', body: { upTo: 'unreachable' } });
    // Answered (404 here): nothing the person wrote, so nothing is kept to change or discard.
    await enqueue(vault, { action: 'message.read', subject: 'odd id/2', body: { upTo: 'r1' } });
    expect(waits.kind).to.equal('read');
    expect(await flush(vault)).to.equal(1);
    expect((await vault.outboxItems()).map((i) => i.id)).to.deep.equal([waits.id]);
    const paths = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);
    expect(paths).to.include('/api/messages/threads/thread-1/read');
    expect(paths).to.include('/api/messages/threads/odd%20id%2F2/read');
    vault.db.close();
  });

  it('groups what must arrive in order (one conversation, one prescription); new conversations and requests stand alone', () => {
    const item = (id: string, kind: OutboxItem['kind'], subject: string, createdAt: string): OutboxItem => ({
      id,
      kind,
      subject,
      createdAt,
      state: 'waiting',
      action: kind === 'refill' ? 'refill.request' : kind === 'message' ? 'message.send' : 'appointment.request',
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
      action: 'message.send',
      subject: 'thread-1',
      body: { body: 'first', note: 'unreachable' },
    });
    await new Promise((r) => setTimeout(r, 5));
    // Sent, it would be refused (404): still waiting means it was held back.
    const second = await enqueue(vault, {
      action: 'message.send',
      subject: 'thread-1',
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
      action: 'message.send',
      subject: 'new',
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
