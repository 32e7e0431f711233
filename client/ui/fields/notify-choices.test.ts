import { expect, fixture, html } from '@open-wc/testing';
import { DEFAULT_NOTIFY } from '../../../common/notify-topics.js';
import type { NotifyChoices } from './notify-choices.js';
import './notify-choices.js';

describe('mcl-notify-choices', () => {
  it('shows each topic as its own group and reports what is ticked', async () => {
    const el = await fixture<NotifyChoices>(html`<mcl-notify-choices .value=${DEFAULT_NOTIFY}></mcl-notify-choices>`);
    const root = el.shadowRoot!;
    expect([...root.querySelectorAll('legend')].map((l) => l.textContent)).to.deep.equal([
      'A new message from your care team',
      'Appointment reminders',
      'A new test result',
    ]);
    let changes = 0;
    el.addEventListener('change', () => changes++);
    root.querySelector<HTMLInputElement>('#appointmentReminder-text')!.click();
    root.querySelector<HTMLInputElement>('#newResult-email')!.click();
    expect(changes).to.equal(2);
    expect(el.value.appointmentReminder).to.deep.equal({ email: true, text: true });
    expect(el.value.newResult).to.deep.equal({ email: false, text: false });
    expect(DEFAULT_NOTIFY.newResult.email, 'the value given is not changed in place').to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('says a text needs a mobile number when there is none', async () => {
    const el = await fixture<NotifyChoices>(
      html`<mcl-notify-choices .value=${DEFAULT_NOTIFY} .hasPhone=${false}></mcl-notify-choices>`,
    );
    expect(el.shadowRoot!.querySelector('#needs-phone')).to.equal(null);
    el.shadowRoot!.querySelector<HTMLInputElement>('#newMessage-text')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#needs-phone')!.textContent).to.include('need a mobile number');
    await expect(el).to.be.accessible();
  });
});
