import { expect, fixture, html } from '@open-wc/testing';
import { expectLabelledFields } from '../../ui/expect-labelled.js';
import './sign-up-page.js';

describe('sign-up page', () => {
  it('mcl-sign-up-page labels every field and passes axe', () => expectLabelledFields('mcl-sign-up-page'));

  it('sign-up asks for the record details instead of a code when chosen', async () => {
    const el = await fixture(html`<mcl-sign-up-page></mcl-sign-up-page>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('#activationCode')).to.exist;
    root.querySelector<HTMLInputElement>('input[value="record"]')!.click();
    await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(root.querySelector('#activationCode')).to.equal(null);
    for (const id of ['mrn', 'lastName', 'lastVisitDate', 'birthDate'])
      expect(root.querySelector(`#${id}`), id).to.exist;
    await expect(el).to.be.accessible();
  });
});
