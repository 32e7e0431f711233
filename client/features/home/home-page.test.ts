import { expect, fixture, html } from '@open-wc/testing';
import { demoClinic } from '../../../common/demo-clinic.js';
import './home-page.js';

describe('mcl-home-page', () => {
  it('welcomes to the clinic by name and points urgent needs to the phone', async () => {
    const el = await fixture(html`<mcl-home-page .clinic=${demoClinic}></mcl-home-page>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('h1')!.textContent).to.equal(`Welcome to ${demoClinic.name}`);
    expect(root.querySelector('a[href="tel:911"]')).to.exist;
    expect(root.querySelector('a[href="/help"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('still reads well before the clinic details arrive', async () => {
    const el = await fixture(html`<mcl-home-page></mcl-home-page>`);
    expect(el.shadowRoot!.querySelector('h1')!.textContent).to.equal('Welcome');
    await expect(el).to.be.accessible();
  });

  it('greets staff with their work, not the patient welcome', async () => {
    const staff = (role: string) =>
      ({
        account: {
          id: 's1',
          kind: 'staff',
          username: 'drlee',
          displayName: 'Dr Lee',
          email: '',
          role,
          patientId: null,
        },
      }) as never;
    const el = await fixture(
      html`<mcl-home-page .clinic=${demoClinic} .session=${staff('clinician')}></mcl-home-page>`,
    );
    const root = el.shadowRoot!;
    expect(root.textContent).not.to.include('your health record');
    expect(root.querySelector('h1')!.textContent).to.equal(`Care team · ${demoClinic.name}`);
    expect([...root.querySelectorAll('.staff-work a')].map((a) => a.getAttribute('href'))).to.deep.equal([
      '/staff/messages',
      '/staff/refills',
      '/staff/requests',
      '/staff/schedule',
      '/staff/guardians',
    ]);
    await expect(el).to.be.accessible();
    const admin = await fixture(html`<mcl-home-page .clinic=${demoClinic} .session=${staff('admin')}></mcl-home-page>`);
    expect(admin.shadowRoot!.querySelector('a[href="/staff/scheduling"]')).to.exist;
  });
});
