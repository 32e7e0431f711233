import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { SessionController } from '../../session/session-controller.js';
import { withStepUp, type ReauthDialog } from '../../session/reauth-dialog.js';
import '../../session/reauth-dialog.js';
import { ok, portal } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import { CURRENT_CAREGIVER_CONSENT } from '../../../common/caregiver-consent.js';
import { AGREE_FIRST, chosenScopes, consentAgreement, scopeChoices } from './scope-choices.js';
import { refusal, todayIso, type SharingEntry } from './sharing-words.js';

/** What the `invited` event carries: the new caregiver as the Sharing list shows them, and the server's sentence. */
export interface InvitedDetail {
  caregiver: SharingEntry;
  message: string;
}

type Field = 'name' | 'email' | 'scopes' | 'endsOn' | 'agree';

/**
 * "Invite someone": their name and email address, what they may do (a checkbox each, in plain words), an optional
 * last day, the consent text in full and "I have read and agree". Sending needs a recent sign-in (the step-up
 * dialog asks when it is not). Used on Account → Sharing and as the optional set-up step.
 *
 * @fires invited - the invitation was sent (detail: InvitedDetail)
 */
@customElement('mcl-invite-form')
export class InviteForm extends LitElement {
  static override styles = [pageStyles, formStyles];
  @property({ attribute: false }) session: SessionController | undefined;
  @query('mcl-reauth-dialog') private dialog!: ReauthDialog;
  @state() private errors: Partial<Record<Field, string>> = {};
  @state() private problem: string | undefined;
  @state() private busy = false;

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const body = {
      name: value('name'),
      email: value('email'),
      scopes: chosenScopes(form),
      ...(value('endsOn') ? { endsOn: value('endsOn') } : {}),
      consentVersion: CURRENT_CAREGIVER_CONSENT.version,
    };
    const errors: Partial<Record<Field, string>> = {};
    if (!body.name) errors.name = 'Enter their name.';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email))
      errors.email = 'Enter their email address, such as name@example.com.';
    if (body.scopes.length === 0) errors.scopes = 'Tick at least one thing they may do.';
    if (!data.get('agree')) errors.agree = AGREE_FIRST;
    this.problem = undefined;
    this.errors = errors;
    if (Object.keys(errors).length) {
      this.problem = 'Nothing was sent yet: please look at what is marked below.';
      return this.focusOutcome();
    }
    this.busy = true;
    try {
      const answer = await withStepUp(this.dialog, () => ok(portal.api.sharing.$post({ json: body })));
      if (!answer) {
        this.problem = 'Nothing was sent: we need you to confirm it is you first.';
      } else {
        form.reset();
        this.dispatchEvent(
          new CustomEvent<InvitedDetail>('invited', { detail: answer, bubbles: true, composed: true }),
        );
      }
    } catch (error) {
      ({ problem: this.problem, errors: this.errors } = refusal(error));
    } finally {
      this.busy = false;
    }
    return this.focusOutcome();
  }

  private async focusOutcome() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.alert')?.focus();
  }

  private input(name: 'name' | 'email' | 'endsOn', label: string, type: string, hint?: string) {
    const id = `invite-${name}`;
    const error = this.errors[name];
    const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : nothing}
      <input id=${id} name=${name} type=${type} autocomplete="off" min=${type === 'date' ? todayIso() : nothing}
        aria-describedby=${described || nothing} aria-invalid=${error ? 'true' : 'false'} />
      ${error ? html`<p class="error" id="${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  override render() {
    return html`<mcl-reauth-dialog .session=${this.session}></mcl-reauth-dialog>
      ${this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem}</p>` : nothing}
      <form @submit=${this.submit} novalidate>
        ${this.input('name', 'Their name', 'text', 'How you would like us to call them in emails, such as "Sam Lee".')}
        ${this.input('email', 'Their email address', 'email', 'We send them a link to accept. It works once, for 7 days.')}
        ${scopeChoices('invite', [], this.errors.scopes)}
        ${this.input('endsOn', 'Last day of access (optional)', 'date', 'Leave empty for no end date. You can end it at any time.')}
        <p>Please read what you share:</p>
        ${consentAgreement('invite', this.errors.agree)}
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Sending…' : 'Send the invitation'}</button>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-invite-form': InviteForm;
  }
}
