import { expect, fixture, html } from '@open-wc/testing';
import type { PasswordField } from './password-field.js';
import './password-field.js';

describe('mcl-password-field', () => {
  it('explains the password rules in words as the person types', async () => {
    const el = await fixture<PasswordField>(html`<mcl-password-field .personal=${['margery']}></mcl-password-field>`);
    const input = el.shadowRoot!.querySelector('input')!;
    const help = () => el.shadowRoot!.querySelector('#password-help')!.textContent!;
    expect(help()).to.contain('At least 15 characters');
    for (const [typed, expected] of [
      ['short', 'Use at least 15 characters (this has 5)'],
      ['1qaz2wsx3edc4rfv', 'list of common passwords'],
      ['margery123456789', 'username or email'],
      ['a quiet walk by the river', 'Good: 25 characters'],
    ]) {
      input.value = typed!;
      input.dispatchEvent(new Event('input'));
      await el.updateComplete;
      expect(help()).to.contain(expected);
    }
    expect(input.getAttribute('autocomplete')).to.equal('new-password');
    await expect(el).to.be.accessible();
  });
});
