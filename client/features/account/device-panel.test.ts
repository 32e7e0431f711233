import { expect, fixture, html } from '@open-wc/testing';
import { SHARED_KEY } from '../../session/session-controller.js';
import { megabytes, type DevicePanel } from './device-panel.js';
import './device-panel.js';

describe('this device: space used, keeping the record, installing', () => {
  it('says how much space is used and whether the browser keeps it; axe clean', async () => {
    const el = await fixture<DevicePanel>(html`<mcl-device-panel></mcl-device-panel>`);
    for (let i = 0; i < 50 && !el.shadowRoot!.textContent!.includes('use about'); i++)
      await new Promise((r) => setTimeout(r, 20));
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.match(/The app and your encrypted record use about \d/);
    expect(text).to.match(/Your browser (keeps them|may remove them)/);
    await expect(el).to.be.accessible();
  });

  it('offers nothing on a computer marked as shared', async () => {
    sessionStorage.setItem(SHARED_KEY, '1');
    try {
      const el = await fixture<DevicePanel>(html`<mcl-device-panel></mcl-device-panel>`);
      expect(el.shadowRoot!.textContent).to.contain('nothing about you is kept on it');
      expect(el.shadowRoot!.querySelector('button')).to.equal(null);
    } finally {
      sessionStorage.removeItem(SHARED_KEY);
    }
  });

  it('writes sizes for people', () => {
    expect(megabytes(512)).to.equal('1 KB');
    expect(megabytes(300 * 1024)).to.equal('300 KB');
    expect(megabytes(12.4 * 1024 * 1024)).to.equal('12.4 MB');
  });
});
