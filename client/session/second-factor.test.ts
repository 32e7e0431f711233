import { expect, fixture, html } from '@open-wc/testing';
import type { SecondFactor, SecondFactorInput } from './second-factor.js';
import { stripAssertion, stripRegistration } from './passkeys.js';
import './second-factor.js';

describe('second step of signing in', () => {
  it('offers the passkey first, types an app code by default, and the other ways as choices (axe clean)', async () => {
    const got: SecondFactorInput[] = [];
    const el = await fixture<SecondFactor>(html`<mcl-second-factor
      .step=${{ step: 'second-factor', flow: 'f'.repeat(43), methods: ['passkey', 'totp', 'sms', 'recovery'], smsTo: '+1••••••0123' }}
      .submit=${async (input: SecondFactorInput) => void got.push(input)}></mcl-second-factor>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('button.passkey')!.textContent).to.contain('Use my passkey');
    expect(root.querySelector('label[for="code"]')!.textContent).to.contain('authenticator app');
    await expect(el).to.be.accessible();
    root.querySelector<HTMLInputElement>('#code')!.value = '123 456';
    root.querySelector('form')!.requestSubmit();
    await new Promise((r) => setTimeout(r, 0));
    expect(got).to.deep.equal([{ method: 'totp', code: '123 456' }]);
    const choices = [...root.querySelectorAll('ul.choices button')].map((b) => b.textContent!.trim());
    expect(choices).to.deep.equal(['Text a code to +1••••••0123', 'Use a recovery code']);
    root.querySelectorAll<HTMLButtonElement>('ul.choices button')[1]!.click();
    await el.updateComplete;
    expect(root.querySelector('label[for="code"]')!.textContent).to.contain('Recovery code');
    expect(root.activeElement?.id).to.equal('code');
  });

  it('shows the refusal in words, announced, and keeps the form', async () => {
    const { ApiProblem } = await import('../data/api.js');
    const el = await fixture<SecondFactor>(html`<mcl-second-factor
      .step=${{ step: 'second-factor', flow: 'f'.repeat(43), methods: ['recovery'] }}
      .submit=${async () => {
        throw new ApiProblem(401, 'code_wrong', 'That recovery code is not right, or was already used.');
      }}></mcl-second-factor>`);
    el.shadowRoot!.querySelector('form')!.requestSubmit();
    await new Promise((r) => setTimeout(r, 10));
    await el.updateComplete;
    const alert = el.shadowRoot!.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.contain('not right');
    expect(el.shadowRoot!.querySelector('#code')!.getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('never lets a PRF result leave the page: only "supported" is posted', () => {
    const registration = {
      id: 'x',
      rawId: 'x',
      type: 'public-key',
      response: {},
      clientExtensionResults: { prf: { enabled: true, results: { first: new ArrayBuffer(32) } } },
    } as never;
    expect(stripRegistration(registration).clientExtensionResults).to.deep.equal({ prf: { enabled: true } });
    const assertion = {
      id: 'x',
      rawId: 'x',
      type: 'public-key',
      response: {},
      clientExtensionResults: { prf: { results: { first: new ArrayBuffer(32) } } },
    } as never;
    expect(stripAssertion(assertion).clientExtensionResults).to.deep.equal({});
  });
});
