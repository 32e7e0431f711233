import { expect } from '@open-wc/testing';
import {
  offlineUnlockAvailable,
  PIN_ITERATIONS,
  pinProblem,
  saveOfflineUnlock,
  turnOffOfflineUnlock,
  unlockWithPin,
  unwrapWithPin,
  wrapWithPin,
} from './offline-unlock.js';
import { openVault, wipeVault } from './open-vault.js';
import { VaultDb } from './vault-db.js';
import { lastKnownUnlockWays, offlineUnlockWays } from './unlock-ways.js';

const NAME = 'mcl-vault-unlock-test';
const secret = { kek: 'a2V5LWJ5dGVz', account: { id: 'acct', patientId: 'p1' }, idleSeconds: 900 };

describe('opening the local record with a device PIN (real WebCrypto and IndexedDB)', () => {
  afterEach(() => wipeVault(NAME));

  it('accepts PINs of 6 to 12 digits that are not trivial', () => {
    expect(pinProblem('12345')).to.contain('6 to 12 digits');
    expect(pinProblem('12ab56')).to.contain('6 to 12 digits');
    expect(pinProblem('111111')).to.contain('not all the same');
    expect(pinProblem('234567')).to.contain('straight run');
    expect(pinProblem('987654')).to.contain('straight run');
    expect(pinProblem('428613')).to.equal(undefined);
  });

  it('seals with PBKDF2-SHA-256 at 600,000 iterations by default; the right PIN opens it, a wrong one does not', async () => {
    expect(PIN_ITERATIONS).to.be.at.least(600_000);
    const wrapped = await wrapWithPin(secret, '428613');
    expect(wrapped.iterations).to.equal(600_000);
    expect(wrapped.salt).to.have.length(16);
    expect(new TextDecoder().decode(wrapped.data)).not.to.contain('acct');
    expect(await unwrapWithPin(wrapped, '428613')).to.deep.equal(secret);
    expect(await unwrapWithPin(wrapped, '428614')).to.equal(undefined);
  });

  it('counts wrong PINs, starts again after a right one, and wipes the record at the tenth wrong one in a row', async () => {
    (await openVault('acct', new Uint8Array(32).fill(9), NAME)).db.close();
    await saveOfflineUnlock(secret, '428613', NAME, 1000);
    expect(await offlineUnlockAvailable(NAME)).to.equal(true);
    for (let i = 1; i <= 9; i++)
      expect(await unlockWithPin('000999', NAME)).to.deep.equal({ ok: false, triesLeft: 10 - i, wiped: false });
    expect(await unlockWithPin('428613', NAME)).to.deep.equal({ ok: true, secret });
    const db = new VaultDb(NAME);
    expect((await db.unlock.get('pin'))!.failures).to.equal(0);
    db.close();
    for (let i = 1; i <= 9; i++) await unlockWithPin('000999', NAME);
    expect(await unlockWithPin('000999', NAME)).to.deep.equal({ ok: false, triesLeft: 0, wiped: true });
    expect((await indexedDB.databases()).map((d) => d.name)).not.to.include(NAME);
    expect(await offlineUnlockAvailable(NAME)).to.equal(false);
  });

  it('opens the record on the connection the PIN check opened, which never holds up deleting the record', async () => {
    (await openVault('acct', new Uint8Array(32).fill(9), NAME)).db.close();
    await saveOfflineUnlock(secret, '428613', NAME, 1000);
    expect((await unlockWithPin('428613', NAME)).ok).to.equal(true);
    const nativeOpen = indexedDB.open.bind(indexedDB);
    let connections = 0;
    indexedDB.open = (...args: Parameters<IDBFactory['open']>) => (connections++, nativeOpen(...args));
    let vault;
    try {
      vault = await openVault('acct', new Uint8Array(32).fill(9), NAME, false);
    } finally {
      indexedDB.open = nativeOpen;
    }
    expect(connections, 'connections opened to open the record after the PIN check').to.equal(0);
    expect(vault.db.isOpen()).to.equal(true);
    expect((await vault.db.unlock.get('pin'))!.failures).to.equal(0);
    vault.db.close();
    // Unlocked, but the record was never opened: "remove my data" (a plain deleteDatabase) is not blocked.
    expect((await unlockWithPin('428613', NAME)).ok).to.equal(true);
    const outcome = await new Promise<string>((resolve) => {
      const request = indexedDB.deleteDatabase(NAME);
      request.onsuccess = () => resolve('deleted');
      request.onblocked = () => resolve('blocked');
      request.onerror = () => resolve('error');
    });
    expect(outcome).to.equal('deleted');
  });

  it('remembers outside the database which ways open it, so sign-in offers them at once, and forgets on any change', async () => {
    (await openVault('acct', new Uint8Array(32).fill(9), NAME)).db.close();
    expect(lastKnownUnlockWays(NAME)).to.equal(undefined);
    await saveOfflineUnlock(secret, '428613', NAME, 1000);
    expect(lastKnownUnlockWays(NAME)).to.equal(undefined);
    expect(await offlineUnlockWays(NAME)).to.deep.equal({ pin: true, passkey: false });
    expect(lastKnownUnlockWays(NAME)).to.deep.equal({ pin: true, passkey: false });
    expect(localStorage.getItem(`mcl-unlock-ways:${NAME}`)).to.equal('pin');
    await turnOffOfflineUnlock(NAME);
    expect(lastKnownUnlockWays(NAME)).to.equal(undefined);
    await saveOfflineUnlock(secret, '428613', NAME, 1000);
    await offlineUnlockWays(NAME);
    await wipeVault(NAME);
    expect(lastKnownUnlockWays(NAME)).to.equal(undefined);
    expect(await offlineUnlockWays(NAME)).to.deep.equal({ pin: false, passkey: false });
  });

  it('can be turned off: the sealed key goes, the record stays', async () => {
    (await openVault('acct', new Uint8Array(32).fill(9), NAME)).db.close();
    await saveOfflineUnlock(secret, '428613', NAME, 1000);
    await turnOffOfflineUnlock(NAME);
    expect(await offlineUnlockAvailable(NAME)).to.equal(false);
    expect((await indexedDB.databases()).map((d) => d.name)).to.include(NAME);
  });
});
