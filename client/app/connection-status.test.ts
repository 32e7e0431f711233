import { expect, fixture, html } from '@open-wc/testing';
import { SHARED_KEY } from '../session/session-controller.js';
import type { ConnectionStatus } from './connection-status.js';
import './connection-status.js';

describe('mcl-connection-status', () => {
  it('shows the connection state in words inside a status region', async () => {
    const el = await fixture<ConnectionStatus>(html`<mcl-connection-status></mcl-connection-status>`);
    const status = el.shadowRoot!.querySelector('[role="status"]')!;
    // This browser is online; the offline text is proven end to end with a real network cut (test/e2e).
    expect(navigator.onLine).to.equal(true);
    expect(status.textContent!.trim()).to.equal('Online');
    await expect(el).to.be.accessible();
  });

  // What is said offline about this device follows the choice made at sign-in ([2/11]). The controller's state is
  // set as a network cut would set it (the element test's browser stays online).
  const offline = async () => {
    const el = await fixture<ConnectionStatus>(html`<mcl-connection-status></mcl-connection-status>`);
    el.connection.online = false;
    el.requestUpdate();
    await el.updateComplete;
    return el;
  };

  it('offline on a personal device: what is saved here still opens', async () => {
    const el = await offline();
    expect(el.shadowRoot!.textContent).to.contain('What is saved on this device still opens.');
    await expect(el).to.be.accessible();
  });

  it('offline on a shared computer: nothing is kept after signing out', async () => {
    sessionStorage.setItem(SHARED_KEY, '1');
    try {
      const el = await offline();
      const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
      expect(text).not.to.contain('saved on this device');
      expect(text).to.contain('nothing about you is kept on this computer after you sign out');
      await expect(el).to.be.accessible();
    } finally {
      sessionStorage.removeItem(SHARED_KEY);
    }
  });
});
