import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { SessionController } from '../../session/session-controller.js';
import { withStepUp, type ReauthDialog } from '../../session/reauth-dialog.js';
import '../../session/reauth-dialog.js';
import { ok, portal } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import { CURRENT_CAREGIVER_CONSENT, type CareScope } from '../../../common/caregiver-consent.js';
import { AGREE_FIRST, chosenScopes, consentAgreement, scopeChoices } from './scope-choices.js';
import { refusal, todayIso, type SharingEntry } from './sharing-words.js';
import type { InvitedDetail } from './invite-form.js';

/**
 * Changes what one caregiver may do and their last day. Adding a permission, or a consent given to an older text,
 * asks for the current consent text to be read and accepted again. Needs a recent sign-in (step-up).
 *
 * @fires changed - saved (detail: InvitedDetail: the caregiver as it now stands and the server's sentence)
 * @fires cancel - the person closed the form without saving
 */
@customElement('mcl-change-access-form')
export class ChangeAccessForm extends LitElement {
  static override styles = [pageStyles, formStyles];
  @property({ attribute: false }) entry!: SharingEntry;
  @property({ attribute: false }) session: SessionController | undefined;
  @query('mcl-reauth-dialog') private dialog!: ReauthDialog;
  @state() private scopes: CareScope[] = [];
  @state() private problem: string | undefined;
  @state() private errors: Record<string, string> = {};
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.scopes = [...this.entry.scopes];
  }

  private get adds(): CareScope[] {
    return this.scopes.filter((s) => !this.entry.scopes.includes(s));
  }

  /** The consent must be given again: a permission is added, or the one accepted was for an older text. */
  private get asksConsent(): boolean {
    return this.adds.length > 0 || !this.entry.consent?.current;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const endsOn = String(data.get('endsOn') ?? '');
    const scopes = chosenScopes(form);
    this.problem = undefined;
    this.errors = {};
    if (scopes.length === 0)
      this.errors = { scopes: 'Tick at least one thing they may do, or end their access instead.' };
    else if (this.asksConsent && !data.get('agree')) this.errors = { agree: AGREE_FIRST };
    if (Object.keys(this.errors).length) {
      this.problem = 'Nothing was changed yet: please look at what is marked below.';
      return this.focusOutcome();
    }
    const json = {
      scopes,
      endsOn: endsOn || null,
      ...(this.asksConsent ? { consentVersion: CURRENT_CAREGIVER_CONSENT.version } : {}),
    };
    this.busy = true;
    try {
      const answer = await withStepUp(this.dialog, () =>
        ok(portal.api.sharing[':id'].$patch({ param: { id: encodeURIComponent(this.entry.id) }, json })),
      );
      if (answer)
        this.dispatchEvent(
          new CustomEvent<InvitedDetail>('changed', { detail: answer, bubbles: true, composed: true }),
        );
      else this.problem = 'Nothing was changed: we need you to confirm it is you first.';
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

  override render() {
    const e = this.entry;
    const id = `change-${e.id}`;
    const endError = this.errors.endsOn;
    return html`<mcl-reauth-dialog .session=${this.session}></mcl-reauth-dialog>
      ${this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem}</p>` : nothing}
      <form @submit=${this.submit} @change=${(ev: Event) => (this.scopes = chosenScopes(ev.currentTarget as HTMLFormElement))} novalidate>
        ${scopeChoices(id, e.scopes, this.errors.scopes)}
        <div class="field">
          <label for="${id}-ends">Last day of access (optional)</label>
          <span class="hint" id="${id}-ends-hint">Leave empty for no end date.</span>
          <input id="${id}-ends" name="endsOn" type="date" .value=${e.endsOn ?? ''} min=${todayIso()}
            aria-describedby="${id}-ends-hint${endError ? ` ${id}-ends-error` : ''}" aria-invalid=${endError ? 'true' : 'false'} />
          ${endError ? html`<p class="error" id="${id}-ends-error">${endError}</p>` : nothing}
        </div>
        ${
          this.asksConsent
            ? html`<p>${this.adds.length ? 'You are letting them do more, so please read the consent text again:' : 'The consent text has changed since you accepted it. Please read it and accept it again:'}</p>
              ${consentAgreement(id, this.errors.agree)}`
            : nothing
        }
        <p>
          <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Saving…' : 'Save the changes'}</button>
          <button type="button" class="secondary" @click=${() => this.dispatchEvent(new CustomEvent('cancel', { bubbles: true, composed: true }))}>Cancel</button>
        </p>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-change-access-form': ChangeAccessForm;
  }
}
