import { expect, fixture, html } from '@open-wc/testing';
import { offlineUnlockAvailable } from '../record/offline-unlock.js';
import type { SessionController } from './session-controller.js';
import type { KeepOfflineForm } from './keep-offline-form.js';
import './keep-offline-form.js';

// The form Account → This device and Home's offer share ([2/11]). The element test server has no portal: the
// record's key cannot be had (a 404), and no passkey of the account can give PRF (GET /api/factors, a 404 too).
const NAME = 'mcl-vault-keep-form-test';
const session = {
  account: { id: 'acct', kind: 'patient', username: 'm', displayName: 'M', email: '', role: null, patientId: 'p1' },
  info: { idleSeconds: 900 },
} as unknown as SessionController;

async function until(ok: () => boolean, ms = 3000) {
  for (let t = 0; t < ms && !ok(); t += 20) await new Promise((r) => setTimeout(r, 20));
}

describe('mcl-keep-offline-form', () => {
  const mount = () =>
    fixture<KeepOfflineForm>(html`<mcl-keep-offline-form .session=${session}></mcl-keep-offline-form>`);
  const type = (el: KeepOfflineForm, pin: string, again = pin) => {
    el.shadowRoot!.querySelector<HTMLInputElement>('#pin')!.value = pin;
    el.shadowRoot!.querySelector<HTMLInputElement>('#pin2')!.value = again;
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  };
  const alert = (el: KeepOfflineForm) => el.shadowRoot!.querySelector('[role=alert]')?.textContent ?? '';

  it('asks for a PIN typed twice, each field labelled; the passkey way only where a passkey can give PRF; axe clean', async () => {
    const el = await mount();
    await new Promise((r) => setTimeout(r, 200)); // the look at the account's passkeys has answered
    expect(el.shadowRoot!.querySelector('label[for=pin]')!.textContent).to.equal('New PIN for this device');
    expect(el.shadowRoot!.querySelector('label[for=pin2]')!.textContent).to.equal('The same PIN again');
    expect(el.shadowRoot!.querySelector('#pin-title')!.textContent).to.equal('Choose a PIN of 6 to 12 digits:');
    expect([...el.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent)).to.deep.equal([
      'Keep my record with this PIN',
    ]);
    await expect(el).to.be.accessible();
  });

  it('says in words what is wrong with a PIN, and moves the focus there', async () => {
    const el = await mount();
    for (const [pin, again, said] of [
      ['12345', '12345', 'Use 6 to 12 digits.'],
      ['123456', '123456', 'Use digits that are not in a straight run.'],
      ['428613', '428631', 'The two PINs are not the same.'],
    ] as const) {
      type(el, pin, again);
      await until(() => alert(el) === said);
      expect(alert(el)).to.equal(said);
      expect(el.shadowRoot!.activeElement?.id).to.equal('keep-problem');
    }
    await expect(el).to.be.accessible();
  });

  it('keeps nothing when the portal does not give the record’s key, and says so', async () => {
    const el = await mount();
    let kept = false;
    el.addEventListener('kept', () => (kept = true));
    type(el, '428613');
    await until(() => alert(el) !== '');
    expect(alert(el)).not.to.equal('');
    expect(kept).to.equal(false);
    expect(await offlineUnlockAvailable(NAME)).to.equal(false);
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled).to.equal(false);
  });
});
