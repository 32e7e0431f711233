import { expect, fixture, html } from '@open-wc/testing';
import { demoClinic } from '../../../common/demo-clinic.js';
import type { ClinicInfo } from '../../session/clinic-context.js';
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
