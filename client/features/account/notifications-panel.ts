import { LitElement, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { NotifyPrefs } from '../../../common/notify-topics.js';
import { ok, portal } from '../../data/portal.js';
import { ActionController } from '../../ui/action-controller.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import type { NotifyChoices } from '../../ui/fields/notify-choices.js';
import '../../ui/fields/notify-choices.js';

/**
 * Account → Notifications: how the patient is told of a reply, a reminder or a new result, chosen at sign-up and
 * changed here. Saved on the portal (it needs a connection; the page says so when there is none).
 */
@customElement('mcl-notifications-panel')
export class NotificationsPanel extends LitElement {
  static override styles = [pageStyles, formStyles];
  @query('mcl-notify-choices') private choices!: NotifyChoices;
  @state() private prefs: NotifyPrefs | undefined;
  @state() private hasPhone = false;
  @state() private notice: string | undefined;
  private readonly load = new ActionController(this);
  private readonly save = new ActionController(this, { focus: '[role=alert], [role=status]' });

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load.run(async () => {
      const account = await ok(portal.api.account.$get());
      this.prefs = account.notify;
      this.hasPhone = Boolean(account.phone);
    }, 'Your notification choices could not be loaded.');
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    this.notice = undefined;
    await this.save.run(async () => {
      const { notify } = await ok(portal.api.account.notifications.$put({ json: { notify: this.choices.value } }));
      this.prefs = notify;
      this.notice = 'Your notification choices are saved.';
    });
  }

  override render() {
    const problem = this.save.problem ?? this.load.problem;
    return html`${problem ? html`<p class="error" role="alert" tabindex="-1">${problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      ${
        this.prefs
          ? html`<form @submit=${this.submit} novalidate>
            <p class="hint">Emails and texts only say there is something new, never health details.</p>
            <mcl-notify-choices .value=${this.prefs} ?hasPhone=${this.hasPhone}></mcl-notify-choices>
            <button type="submit" class="secondary" ?disabled=${this.save.busy}>
              ${this.save.busy ? 'Saving…' : 'Save notification choices'}
            </button>
          </form>`
          : this.load.busy
            ? html`<p>Loading your choices…</p>`
            : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-notifications-panel': NotificationsPanel;
  }
}
