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

  it('checks the answers before sending: each problem in words beside its field, none sent', async () => {
    const el = await fixture(html`<mcl-sign-up-page></mcl-sign-up-page>`);
    const root = el.shadowRoot!;
    root.querySelector<HTMLInputElement>('input[value="record"]')!.click();
    await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    root.querySelector<HTMLInputElement>('#email')!.value = 'not an email';
    root.querySelector<HTMLInputElement>('#phone')!.value = '507 555 0123';
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const alert = root.querySelector('[role=alert]')!;
    expect(alert.textContent).to.match(/^\d+ answers need another look: each is marked below/);
    expect(alert.textContent).not.to.match(/problem\(s\)|mrn:/);
    expect(root.activeElement).to.equal(alert);
    const beside = (id: string) => root.querySelector(`#${id}-error`)?.textContent;
    expect(beside('mrn')).to.equal('Enter your medical record number.');
    expect(beside('lastName')).to.equal('Enter your last name as the clinic has it.');
    expect(beside('email')).to.match(/email address such as/);
    expect(beside('phone')).to.match(/country code, for example \+1 507 555 0123/);
    expect(root.querySelector('#mrn')!.getAttribute('aria-invalid')).to.equal('true');
    expect(root.querySelector('#mrn')!.getAttribute('aria-describedby')).to.include('mrn-error');
    const sent = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/signup'));
    expect(sent, 'nothing was sent').to.have.length(0);
    await expect(el).to.be.accessible();
  });
});
