import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { SessionController } from '../../session/session-controller.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal, type Success } from '../../data/portal.js';
import { formatPhone } from '../../../common/phone.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import { withStepUp, type ReauthDialog } from '../../session/reauth-dialog.js';
import '../../session/reauth-dialog.js';

/** The account's contact details and notification choices, as the server sends them (GET /api/account). */
type AccountDetails = Success<Awaited<ReturnType<typeof portal.api.account.$get>>>;

/**
 * Account → Security, "Contact details": the email address (changed through a link sent to the new address) and
 * the mobile number for text alerts. Both changes ask the person to confirm it is them (step-up).
 */
@customElement('mcl-contact-panel')
export class ContactPanel extends LitElement {
  static override styles = [pageStyles, formStyles];
  @property({ attribute: false }) session: SessionController | undefined;
  @query('mcl-reauth-dialog') private dialog!: ReauthDialog;
  @state() private details: AccountDetails | undefined;
  @state() private problem: { field: 'email' | 'phone'; text: string } | undefined;
  @state() private notice: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.details = await ok(portal.api.account.$get());
    } catch (error) {
      this.problem = {
        field: 'email',
        text: error instanceof ApiProblem ? error.message : 'Your contact details could not be loaded.',
      };
    }
  }

  private async save(field: 'email' | 'phone', event: SubmitEvent) {
    event.preventDefault();
    const value = String(new FormData(event.target as HTMLFormElement).get(field) ?? '');
    this.problem = undefined;
    this.notice = undefined;
    try {
      const answer = await withStepUp(this.dialog, () =>
        field === 'email'
          ? ok(portal.api.account.email.$post({ json: { email: value } }))
          : ok(portal.api.account.phone.$put({ json: { phone: value } })),
      );
      if (answer) this.notice = answer.message;
      await this.load();
    } catch (error) {
      this.problem = {
        field,
        text: error instanceof ApiProblem ? error.message : 'That did not work. Please try again.',
      };
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[role=status], .error')?.focus();
  }

  override render() {
    const d = this.details;
    const error = (field: 'email' | 'phone') =>
      this.problem?.field === field
        ? html`<p class="error" id="${field}-error" role="alert" tabindex="-1">${this.problem.text}</p>`
        : nothing;
    return html`<mcl-reauth-dialog .session=${this.session}></mcl-reauth-dialog>
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      ${
        !d
          ? error('email')
          : html`<form @submit=${(e: SubmitEvent) => this.save('email', e)} novalidate>
              <div class="field">
                <label for="email">Email address</label>
                <span class="hint" id="email-hint">Now ${d.email}. We send a link to a new address to check it is yours.</span>
                <input id="email" name="email" type="email" autocomplete="email" aria-describedby="email-hint${this.problem?.field === 'email' ? ' email-error' : ''}"
                  aria-invalid=${this.problem?.field === 'email' ? 'true' : 'false'} />
                ${error('email')}
              </div>
              <button type="submit" class="secondary">Change email address</button>
            </form>
            <form @submit=${(e: SubmitEvent) => this.save('phone', e)} novalidate>
              <div class="field">
                <label for="phone">Mobile number for text alerts</label>
                <span class="hint" id="phone-hint">${d.phone ? `Now ${formatPhone(d.phone)}.` : 'None yet.'} With the country code, for example +1 507 555 0123. Leave empty to remove it.</span>
                <input id="phone" name="phone" type="tel" autocomplete="tel" aria-describedby="phone-hint${this.problem?.field === 'phone' ? ' phone-error' : ''}"
                  aria-invalid=${this.problem?.field === 'phone' ? 'true' : 'false'} />
                ${error('phone')}
              </div>
              <button type="submit" class="secondary">Save mobile number</button>
            </form>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-contact-panel': ContactPanel;
  }
}
