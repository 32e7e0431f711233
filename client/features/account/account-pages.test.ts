import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { PasswordField } from './password-field.js';
import type { IdleWarning } from '../../session/idle-warning.js';
import { describeAction, deviceName } from './security-page.js';
import { tokenFromHash } from './token-from-hash.js';
import './sign-in-page.js';
import './sign-up-page.js';
import './password-pages.js';
import './password-field.js';
import '../../session/idle-warning.js';

describe('account pages', () => {
  for (const tag of ['mcl-sign-in-page', 'mcl-sign-up-page', 'mcl-forgot-password-page']) {
    it(`${tag} labels every field and passes axe`, async () => {
      const el = await fixture(`<${tag}></${tag}>`);
      for (const input of el.shadowRoot!.querySelectorAll('input:not([type="radio"]):not([type="checkbox"])')) {
        expect(el.shadowRoot!.querySelector(`label[for="${input.id}"]`), `label for #${input.id}`).to.exist;
      }
      await expect(el).to.be.accessible();
    });
  }

  it('sign-up asks for the record details instead of a code when chosen', async () => {
    const el = await fixture(html`<mcl-sign-up-page></mcl-sign-up-page>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('#activationCode')).to.exist;
    root.querySelector<HTMLInputElement>('input[value="record"]')!.click();
    await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(root.querySelector('#activationCode')).to.equal(null);
    for (const id of ['mrn', 'lastName', 'lastVisitDate', 'birthDate']) expect(root.querySelector(`#${id}`), id).to.exist;
    await expect(el).to.be.accessible();
  });

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

  it('reads link tokens from the fragment only when well formed', () => {
    expect(tokenFromHash('#token=abcdefghijklmnopqrstuvwxyz_-0123')).to.equal('abcdefghijklmnopqrstuvwxyz_-0123');
    expect(tokenFromHash('#token=short')).to.equal(undefined);
    expect(tokenFromHash('#token=<script>alert(1)</script>xxxxxxxxxx')).to.equal(undefined);
    expect(tokenFromHash('')).to.equal(undefined);
  });

  it('names devices for people', () => {
    expect(deviceName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36')).to.equal('Chrome on Linux');
    expect(deviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1')).to.equal('Safari on iPhone or iPad');
    expect(deviceName(null)).to.equal('Unknown device');
    expect(describeAction('session.timeout')).to.equal('Signed out after inactivity');
    expect(describeAction('something.new-here')).to.equal('something new here');
  });
});
