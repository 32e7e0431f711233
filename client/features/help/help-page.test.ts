import { expect, fixture, html } from '@open-wc/testing';
import { demoClinic } from '../../../common/demo-clinic.js';
import type { ClinicInfo } from '../../session/clinic-context.js';
import { SHARED_KEY } from '../../session/session-controller.js';
import './help-page.js';

describe('mcl-help-page', () => {
  it('shows urgent-care guidance, the phone numbers and the support hours from configuration', async () => {
    const clinic: ClinicInfo = {
      ...demoClinic,
      support: {
        ...demoClinic.support,
        hours: [
          { days: 'Mon–Thu', hours: '9–5' },
          { days: 'Fri', hours: '9–1' },
          { days: 'Sun', hours: 'closed' },
        ],
      },
    };
    const el = await fixture(html`<mcl-help-page .clinic=${clinic}></mcl-help-page>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('h1')!.textContent).to.equal('Help');
    expect(root.textContent).to.contain(clinic.urgent.guidance);
    const tels = [...root.querySelectorAll('a[href^="tel:"]')].map((a) => a.getAttribute('href'));
    expect(tels).to.deep.equal(['tel:911', 'tel:+15075550199', 'tel:+15075550100']);
    const rows = [...root.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent).join(' '),
    );
    expect(rows).to.deep.equal(['Mon–Thu 9–5', 'Fri 9–1', 'Sun closed']);
    expect(root.querySelector('th:last-child')!.textContent).to.contain('America/Chicago');
    await expect(el).to.be.accessible();
  });

  it('says plainly when the clinic details are not available, and still gives emergency advice', async () => {
    const el = await fixture(html`<mcl-help-page></mcl-help-page>`);
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain('could not be loaded');
    expect(el.shadowRoot!.textContent).to.contain('medical emergency');
    await expect(el).to.be.accessible();
  });
});

describe('mcl-help-page: keeping the record on the device ([2/11])', () => {
  const words = (el: Element) => (el.shadowRoot ?? el).textContent!.replace(/\s+/g, ' ');
  afterEach(() => sessionStorage.removeItem(SHARED_KEY));

  it('says in plain words what it protects, what it does not, and how to remove it; axe clean', async () => {
    const el = await fixture(html`<mcl-help-page .clinic=${demoClinic}></mcl-help-page>`);
    const section = el.shadowRoot!.querySelector('section[aria-labelledby="keep"]')!;
    expect(section.querySelector('h2')!.textContent).to.equal('Keeping your record on your phone or computer');
    const text = words(section);
    // What it protects.
    expect(text)
      .to.contain('locked (encrypted)')
      .and.contain('only with your passkey')
      .and.contain('or the PIN you chose')
      .and.contain('locks itself when you sign out, and after a few minutes without use')
      .and.contain('After 10 wrong PINs');
    // What it does not.
    expect(text)
      .to.contain('Someone who knows your PIN and has your phone can open it')
      .and.contain('Screenshots')
      .and.contain('harmful software (malware)');
    // How to remove it.
    expect(text)
      .to.contain('Stop keeping it for offline use')
      .and.contain('Sign out and remove my data from this device');
    expect(text).to.contain('Home offers it once');
    await expect(el).to.be.accessible();
  });

  it('on a shared computer: says first that nothing is kept on it, not that pages or the record are kept here', async () => {
    sessionStorage.setItem(SHARED_KEY, '1');
    const el = await fixture(html`<mcl-help-page .clinic=${demoClinic}></mcl-help-page>`);
    const text = words(el);
    expect(text).to.contain(
      'You said this is a shared or public computer: nothing about you is kept on it after you sign out.',
    );
    expect(text).not.to.contain('Home offers it once');
    expect(text).not.to.contain('Once you have opened the portal on this device');
    await expect(el).to.be.accessible();
  });
});
