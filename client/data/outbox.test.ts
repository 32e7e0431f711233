import { expect } from '@open-wc/testing';
import { openVault, wipeVault } from './vault.js';
import { enqueue, flush } from './outbox.js';

const NAME = 'mcl-vault-outbox-test';

describe('the outbox (real IndexedDB, real fetch)', () => {
  afterEach(() => wipeVault(NAME));

  it('keeps an item sealed, waits while there is no connection, and keeps a refusal with its reason', async () => {
    const vault = await openVault('acct', new Uint8Array(32).fill(5), NAME);
    // Nothing listens on port 9 of this machine: the send fails like a lost connection.
    const offline = await enqueue(vault, { kind: 'refill', subject: 'm1', path: 'http://127.0.0.1:9/api/refills', body: { medicationRequestId: 'm1', pharmacy: 'Main Street Pharmacy' } });
    // The test server has no such API: it answers 404, a refusal.
    const refused = await enqueue(vault, { kind: 'refill', subject: 'm2', path: '/api/no-such-api', body: { medicationRequestId: 'm2', pharmacy: 'Main Street Pharmacy' } });
    const raw = JSON.stringify(await vault.db.outbox.toArray(), (_k, v) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? new TextDecoder('latin1').decode(v as ArrayBuffer) : v));
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
});
