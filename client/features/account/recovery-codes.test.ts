import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { RecoveryCodes } from './recovery-codes.js';
import './recovery-codes.js';

describe('mcl-recovery-codes', () => {
  it('shows recovery codes once, with a way to save them, and says when they are saved', async () => {
    const codes = Array.from({ length: 10 }, (_, i) => `AAAA-BBBB-CCCC-000${i}`);
    const el = await fixture<RecoveryCodes>(html`<mcl-recovery-codes .codes=${codes}></mcl-recovery-codes>`);
    expect(el.shadowRoot!.querySelectorAll('li').length).to.equal(10);
    await expect(el).to.be.accessible();
    setTimeout(() => el.shadowRoot!.querySelectorAll('button')[1]!.click());
    await oneEvent(el, 'saved');
  });
});
