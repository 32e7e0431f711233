import { expect, fixture, html } from '@open-wc/testing';
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
});
