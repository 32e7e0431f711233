import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { IdleWarning } from './idle-warning.js';
import './idle-warning.js';

describe('mcl-idle-warning', () => {
  it('the idle warning is an accessible dialog whose button asks for more time', async () => {
    const el = await fixture<IdleWarning>(html`<mcl-idle-warning .seconds=${75}></mcl-idle-warning>`);
    const dialog = el.shadowRoot!.querySelector('[role="alertdialog"]')!;
    expect(dialog.getAttribute('aria-labelledby')).to.equal('idle-title');
    expect(el.shadowRoot!.querySelector('.countdown')!.textContent).to.equal('Signing out in 1 minute 15 seconds');
    expect(el.shadowRoot!.activeElement?.textContent).to.equal('Stay signed in');
    await expect(el).to.be.accessible();
    const stay = oneEvent(el, 'mcl-stay-signed-in');
    el.shadowRoot!.querySelector('button')!.click();
    await stay;
  });
});
