import { expect } from '@open-wc/testing';
import { NoRecordHere, openVault, wipeVault } from './open-vault.js';
import { codeIndex, importKek, newWrappedSecret, unwrapVaultKeys } from '../data/vault-crypto.js';

const NAME = 'mcl-vault-test';
const key = (fill: number) => new Uint8Array(32).fill(fill);
const observation = {
  resourceType: 'Observation',
  id: 'obs-1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2339-0', display: 'Glucose' }], text: 'Glucose' },
  effectiveDateTime: '2024-03-01T09:00:00Z',
  valueQuantity: { value: 5.4, unit: 'mmol/L' },
};

describe('the encrypted local record (real IndexedDB and WebCrypto in Chromium)', () => {
  afterEach(() => wipeVault(NAME));

  it('stores resources sealed, indexes only type, id, date and an opaque code, and reads them back', async () => {
    const vault = await openVault('account-1', key(7), NAME);
    await vault.put('p1', [
      observation,
      {
        ...observation,
        id: 'obs-2',
        effectiveDateTime: '2025-01-01T00:00:00Z',
        valueQuantity: { value: 6.1, unit: 'mmol/L' },
      },
    ]);
    const raw = await vault.db.resources.toArray();
    expect(raw.length).to.equal(2);
    const text = JSON.stringify(raw, (_k, v) =>
      v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? new TextDecoder('latin1').decode(v as ArrayBuffer) : v,
    );
    for (const secret of ['Glucose', '2339-0', 'loinc', 'mmol']) expect(text).not.to.contain(secret);
    expect(raw[0]!.date).to.match(/^20\d\d-/);
    const newest = await vault.list('p1', 'Observation');
    expect(newest.map((o) => o.id)).to.deep.equal(['obs-2', 'obs-1']);
    const history = await vault.byCode('p1', 'Observation', 'http://loinc.org|2339-0');
    expect(history.map((o) => o.valueQuantity.value)).to.deep.equal([5.4, 6.1]);
    expect(await vault.count('p1', 'Observation')).to.equal(2);
    vault.db.close();
  });

  it('binds each ciphertext to its place: a row moved under another id does not open', async () => {
    const vault = await openVault('account-1', key(7), NAME);
    await vault.put('p1', [observation]);
    const row = (await vault.db.resources.toArray())[0]!;
    await vault.db.resources.put({ ...row, id: 'obs-9' });
    let failed = false;
    try {
      await vault.get('p1', 'Observation', 'obs-9');
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
    vault.db.close();
  });

  it('opens again with the same key, starts empty with another key, and never mixes two accounts', async () => {
    let vault = await openVault('account-1', key(7), NAME);
    await vault.put('p1', [observation]);
    vault.db.close();
    vault = await openVault('account-1', key(7), NAME);
    expect(await vault.count('p1', 'Observation')).to.equal(1);
    vault.db.close();
    vault = await openVault('account-1', key(8), NAME); // the server's key was replaced: resync from nothing
    expect(await vault.count('p1', 'Observation')).to.equal(0);
    await vault.put('p1', [observation]);
    vault.db.close();
    vault = await openVault('account-2', key(8), NAME); // someone else signs in on this device
    expect(await vault.count('p1', 'Observation')).to.equal(0);
    vault.db.close();
  });

  it('wraps the secret: the wrong key-encryption key cannot unwrap it; code indexes are stable and opaque', async () => {
    const kek = await importKek(key(1));
    const wrapped = await newWrappedSecret(kek);
    const keys = await unwrapVaultKeys(wrapped, kek);
    let failed = false;
    try {
      await unwrapVaultKeys(wrapped, await importKek(key(2)));
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
    const a = await codeIndex(keys, 'http://loinc.org|2339-0');
    expect(a).to.equal(await codeIndex(keys, 'http://loinc.org|2339-0'));
    expect(a).not.to.equal(await codeIndex(keys, 'http://loinc.org|2345-7'));
    expect(a).to.match(/^[A-Za-z0-9_-]{22}$/);
  });

  it('reports what the person wrote (outbox, drafts) saved only once on disk: strict transactions', async () => {
    const vault = await openVault('account-1', key(7), NAME);
    const seen: { stores: string[]; durability: string | undefined }[] = [];
    const native = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (
      this: IDBDatabase,
      stores: string | string[],
      mode?: IDBTransactionMode,
      options?: IDBTransactionOptions,
    ) {
      if (mode === 'readwrite') seen.push({ stores: [stores].flat(), durability: options?.durability });
      return native.call(this, stores, mode, options);
    } as typeof native;
    try {
      const item = {
        id: 'key-1',
        createdAt: '2026-11-26T10:00:00Z',
        state: 'waiting' as const,
        kind: 'message' as const,
        subject: 'new',
        action: 'message.send' as const,
        body: { text: 'My knee hurts' },
      };
      await vault.putOutbox(item);
      await vault.saveDraft('compose', 'Dear doctor');
    } finally {
      IDBDatabase.prototype.transaction = native;
    }
    expect(seen).to.deep.equal([
      { stores: ['outbox'], durability: 'strict' },
      { stores: ['drafts'], durability: 'strict' },
    ]);
    expect((await vault.outboxItems()).map((i) => i.body)).to.deep.equal([{ text: 'My knee hurts' }]);
    expect(await vault.draft('compose')).to.equal('Dear doctor');
    vault.db.close();
  });

  it('two first openings at once (the page and its sync worker) agree on one secret', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([openVault('account-1', key(7), NAME), openVault('account-1', key(7), NAME)]);
      await a.put('p1', [observation]);
      expect((await b.list('p1', 'Observation')).map((o: { id?: string }) => o.id)).to.deep.equal(['obs-1']);
      a.db.close();
      b.db.close();
      await wipeVault(NAME);
    }
  });

  it('the sync worker only opens a record: it never makes one, nor deletes one that does not open', async () => {
    let error: unknown;
    await openVault('account-1', key(7), NAME, true, false).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(NoRecordHere);
    (await openVault('account-1', key(7), NAME)).db.close();
    error = undefined;
    await openVault('account-1', key(8), NAME, true, false).catch((e: unknown) => (error = e));
    expect(error, 'another key').to.be.instanceOf(Error);
    const again = await openVault('account-1', key(7), NAME, true, false);
    expect(again.lostBefore).to.equal(false);
    again.db.close();
  });

  it('"remove my data" deletes the database', async () => {
    const vault = await openVault('account-1', key(7), NAME);
    vault.db.close();
    await wipeVault(NAME);
    expect((await indexedDB.databases()).map((d) => d.name)).not.to.include(NAME);
  });

  it('notices a record the browser evicted (gone without "remove my data"), and only then', async () => {
    const first = await openVault('account-1', key(7), NAME);
    expect(first.lostBefore).to.equal(false);
    first.db.close();
    // The browser clears site storage under pressure: IndexedDB goes, nobody chose it.
    await new Promise((resolve) =>
      Object.assign(indexedDB.deleteDatabase(NAME), { onsuccess: resolve, onerror: resolve }),
    );
    const again = await openVault('account-1', key(7), NAME);
    expect(again.lostBefore).to.equal(true);
    again.db.close();
    // Removed on purpose: not "lost".
    await wipeVault(NAME);
    const fresh = await openVault('account-1', key(7), NAME);
    expect(fresh.lostBefore).to.equal(false);
    fresh.db.close();
    // Another account on this device is not told about the first one's record.
    await new Promise((resolve) =>
      Object.assign(indexedDB.deleteDatabase(NAME), { onsuccess: resolve, onerror: resolve }),
    );
    const other = await openVault('account-2', key(7), NAME);
    expect(other.lostBefore).to.equal(false);
    other.db.close();
  });
});
