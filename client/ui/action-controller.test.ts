import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, html as litHtml, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ApiProblem } from '../data/api.js';
import { ActionController } from './action-controller.js';

/** A small host: a button that runs an action, and the alert the page shows when it failed. */
@customElement('test-action-host')
class ActionHost extends LitElement {
  readonly action = new ActionController(this, { focus: '[role=alert]' });
  work: () => Promise<void> = async () => {};
  override render() {
    return litHtml`<button type="button" ?disabled=${this.action.busy} @click=${() => this.action.run(this.work)}>Send</button>
      ${this.action.problem ? litHtml`<p class="alert" role="alert" tabindex="-1">${this.action.problem}</p>` : nothing}`;
  }
}

describe('ActionController', () => {
  it('is busy while the action runs, and the host shows it (its button waits); axe clean', async () => {
    const el = await fixture<ActionHost>(html`<test-action-host></test-action-host>`);
    let finish!: () => void;
    el.work = () => new Promise<void>((resolve) => (finish = resolve));
    const running = el.action.run(el.work);
    await el.updateComplete;
    expect(el.action.busy).to.equal(true);
    expect(el.shadowRoot!.querySelector('button')!.disabled).to.equal(true);
    await expect(el).to.be.accessible();
    finish();
    await running;
    await el.updateComplete;
    expect(el.action.busy).to.equal(false);
    expect(el.shadowRoot!.querySelector('button')!.disabled).to.equal(false);
    expect(el.shadowRoot!.querySelector('[role=alert]')).to.equal(null);
  });

  it('after a failure, says what went wrong in the alert and moves focus to it; axe clean', async () => {
    const el = await fixture<ActionHost>(html`<test-action-host></test-action-host>`);
    el.work = async () => {
      throw new ApiProblem(409, 'slot_taken', 'That time was just taken. Please choose another.');
    };
    el.shadowRoot!.querySelector('button')!.click();
    for (let i = 0; i < 50 && !el.shadowRoot!.activeElement; i++) await new Promise((r) => setTimeout(r, 10));
    const alert = el.shadowRoot!.querySelector<HTMLElement>('[role=alert]')!;
    expect(alert.textContent).to.equal('That time was just taken. Please choose another.');
    expect(el.shadowRoot!.activeElement === alert, 'the alert has focus').to.equal(true);
    expect(el.action.busy).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it("words a failure that is not the portal's with the fallback, and clears it when the next action starts", async () => {
    const el = await fixture<ActionHost>(html`<test-action-host></test-action-host>`);
    await el.action.run(() => Promise.reject(new TypeError('Failed to fetch')), 'The reply could not be sent.');
    expect(el.action.problem).to.equal('The reply could not be sent.');
    let problemMeanwhile: string | undefined = 'not read';
    await el.action.run(async () => void (problemMeanwhile = el.action.problem));
    expect(problemMeanwhile).to.equal(undefined);
    expect(el.action.problem).to.equal(undefined);
  });
});

declare global {
  interface HTMLElementTagNameMap {
    'test-action-host': ActionHost;
  }
}
