import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { Workbox } from 'workbox-window';
import type { UpdatePrompt } from './update-prompt.js';
import './update-prompt.js';

describe('mcl-update-prompt', () => {
  it('stays silent until a new version waits', async () => {
    const el = await fixture<UpdatePrompt>(html`<mcl-update-prompt></mcl-update-prompt>`);
    expect(el.shadowRoot!.querySelector('button')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('offers the update when the workbox reports a waiting worker, and can be put off', async () => {
    // A real workbox-window object, never registered: its event target is what the prompt listens to.
    const wb = new Workbox('/never-registered-sw.js');
    const el = await fixture<UpdatePrompt>(html`<mcl-update-prompt .workbox=${wb}></mcl-update-prompt>`);
    wb.dispatchEvent({ type: 'waiting', target: wb } as never);
    await el.updateComplete;
    expect(el.ready).to.equal(true);
    const status = el.shadowRoot!.querySelector('[role="status"]')!;
    expect(status.textContent).to.contain('A new version of the portal is ready');
    const [reload, later] = [...el.shadowRoot!.querySelectorAll('button')];
    expect(reload!.textContent).to.equal('Reload now');
    await expect(el).to.be.accessible();
    later!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('button')).to.equal(null);
  });

  it('announces acceptance before handing over to the new worker', async () => {
    const wb = new Workbox('/never-registered-sw.js');
    let skipped = false;
    // Observe the call without a real waiting worker (which would reload this test page).
    wb.messageSkipWaiting = () => void (skipped = true);
    const el = await fixture<UpdatePrompt>(html`<mcl-update-prompt .workbox=${wb} ready></mcl-update-prompt>`);
    const accepted = oneEvent(el, 'mcl-update-accepted');
    el.shadowRoot!.querySelector('button')!.click();
    await accepted;
    expect(skipped).to.equal(true);
  });
});
