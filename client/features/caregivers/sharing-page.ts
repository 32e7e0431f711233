import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { sessionContext } from '../../session/session-context.js';
import { SessionWatch } from '../../session/session-watch.js';
import type { SessionController } from '../../session/session-controller.js';
import { clinicContext, type ClinicInfo } from '../../session/clinic-context.js';
import { withStepUp, type ReauthDialog } from '../../session/reauth-dialog.js';
import '../../session/reauth-dialog.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import { telHref } from '../../ui/tel-href.js';
import type { ConfirmDialog } from '../../ui/confirm-dialog.js';
import '../../ui/confirm-dialog.js';
import { CURRENT_CAREGIVER_CONSENT } from '../../../common/caregiver-consent.js';
import {
  dayWords,
  isOpenState,
  loadSharing,
  scopeLabel,
  stateWords,
  whenWords,
  type SharingEntry,
} from './sharing-words.js';
import type { InvitedDetail } from './invite-form.js';
import './invite-form.js';
import './change-access-form.js';

/**
 * Account → Sharing ([3/11]): everyone the patient shares their portal with, plainly: name, email, kind, state,
 * each permission in words, the last day, the consent accepted (version and when). Change, end (after a question)
 * and "Invite someone"; each needs a recent sign-in. A guardian's access is the care team's to change: the page
 * says whom to call.
 */
@customElement('mcl-sharing-page')
export class SharingPage extends LitElement {
  static override styles = [
    pageStyles,
    formStyles,
    css`
      ul.people {
        list-style: none;
        padding: 0;
      }
      h2 {
        margin-top: 0;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.25rem 1rem;
        margin: 0 0 1rem;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
      }
      dd ul {
        margin: 0;
        padding-left: 1.2rem;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
      }
      .notice {
        border-left: 6px solid var(--mcl-focus, #b3540b);
        padding-left: 0.75rem;
      }
    `,
  ];

  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;
  @consume({ context: clinicContext, subscribe: true })
  clinic: ClinicInfo | undefined;
  protected readonly sessionWatch = new SessionWatch(this);
  @query('mcl-reauth-dialog') private dialog!: ReauthDialog;
  @query('mcl-confirm-dialog') private confirmDialog!: ConfirmDialog;
  @state() private caregivers: SharingEntry[] | undefined;
  @state() private problem: string | undefined;
  @state() private notice: string | undefined;
  @state() private inviting = false;
  @state() private changing: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.caregivers = (await loadSharing()).caregivers;
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'The people you share with could not be loaded.';
    }
  }

  private async done(detail: InvitedDetail) {
    this.inviting = false;
    this.changing = undefined;
    this.problem = undefined;
    this.notice = detail.message;
    await this.load();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.success')?.focus();
  }

  private async end(entry: SharingEntry) {
    const invited = entry.state === 'invited';
    const yes = await this.confirmDialog.ask(
      invited
        ? {
            title: `Withdraw the invitation to ${entry.name}?`,
            text: `The link we sent to ${entry.email} will stop working.`,
            yes: 'Withdraw the invitation',
          }
        : {
            title: `End ${entry.name}’s access?`,
            text: `${entry.name} will no longer be able to see or do anything for you, from their next click. To share again later, you would send a new invitation.`,
            yes: 'End their access',
          },
    );
    if (!yes) return;
    this.problem = undefined;
    this.notice = undefined;
    try {
      const answer = await withStepUp(this.dialog, () =>
        ok(portal.api.sharing[':id'].$delete({ param: { id: encodeURIComponent(entry.id) } })),
      );
      if (answer) return await this.done(answer);
      this.problem = 'Nothing was changed: we need you to confirm it is you first.';
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'That did not work. Please try again.';
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.alert')?.focus();
  }

  private async openChange(entry: SharingEntry) {
    this.changing = entry.id;
    this.notice = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#change-${CSS.escape(entry.id)}-title`)?.focus();
  }

  private async openInvite() {
    this.inviting = true;
    this.notice = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#invite-title')?.focus();
  }

  private renderEntry(e: SharingEntry) {
    const state = stateWords(e);
    const guardian = e.kind === 'guardian';
    const narrowed = isOpenState(e.state) && e.allowedNow.length < e.scopes.length;
    const phone = this.clinic?.support.phone;
    return html`<li class="card" aria-labelledby="who-${e.id}">
      <h2 id="who-${e.id}">${e.name}</h2>
      <dl>
        <dt>Email</dt><dd>${e.email ?? 'none'}</dd>
        <dt>Kind</dt><dd>${guardian ? 'Parent or guardian, set up by the care team' : 'Caregiver you invited'}</dd>
        <dt>State</dt><dd><strong>${state.short}</strong>. ${state.more}</dd>
        ${e.acceptedBy && e.acceptedAt ? html`<dt>Accepted</dt><dd>${whenWords(e.acceptedAt)}, with the account of ${e.acceptedBy.name} (${e.acceptedBy.email})</dd>` : nothing}
        <dt>They may</dt>
        <dd><ul>${e.scopes.map((s) => html`<li>${scopeLabel(s)}</li>`)}</ul>
          ${narrowed ? html`Because of the clinic’s age rules, today only: ${e.allowedNow.map((s) => scopeLabel(s)).join('; ') || 'nothing'}.` : nothing}</dd>
        <dt>Last day</dt><dd>${e.endsOn ? `${dayWords(e.endsOn)} (access ends after that day)` : 'No end date'}</dd>
        <dt>Consent</dt>
        <dd>${e.consent ? `You accepted consent text version ${e.consent.version} on ${whenWords(e.consent.acceptedAt)}.` : 'No consent recorded.'}</dd>
      </dl>
      ${
        e.changeable && e.consent && !e.consent.current
          ? html`<p class="notice">The consent text has changed since you accepted it (it is now version ${CURRENT_CAREGIVER_CONSENT.version}). Please read the new text and accept it again: press "Change what ${e.name} may do" below.</p>`
          : nothing
      }
      ${
        guardian && isOpenState(e.state)
          ? html`<p>A guardian’s access is set up by the care team. To change it, call us${phone ? html` on <a href=${telHref(phone)}>${phone}</a>` : ''}.</p>`
          : nothing
      }
      ${
        e.changeable && this.changing === e.id
          ? html`<h3 id="change-${e.id}-title" tabindex="-1">Change what ${e.name} may do</h3>
            <mcl-change-access-form .entry=${e} .session=${this.session}
              @changed=${(ev: CustomEvent<InvitedDetail>) => void this.done(ev.detail)}
              @cancel=${() => (this.changing = undefined)}></mcl-change-access-form>`
          : e.changeable
            ? html`<div class="buttons">
              <button type="button" class="secondary" @click=${() => void this.openChange(e)}>Change what ${e.name} may do</button>
              <button type="button" class="secondary" @click=${() => void this.end(e)}>${e.state === 'invited' ? `Withdraw the invitation to ${e.name}` : `End ${e.name}’s access`}</button>
            </div>`
            : nothing
      }
    </li>`;
  }

  override render() {
    const account = this.session?.account;
    if (!account) return html`<h1>Sharing</h1><p>Please <a href="/sign-in">sign in</a> first.</p>`;
    const list = this.caregivers;
    return html`<mcl-reauth-dialog .session=${this.session}></mcl-reauth-dialog>
      <mcl-confirm-dialog></mcl-confirm-dialog>
      <h1>Sharing your portal</h1>
      <p>People you let use the portal for you, such as a family member who helps you. They sign in with their own account.</p>
      <p><a href="/account/security">Back to Account</a></p>
      ${this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      ${
        list === undefined
          ? this.problem
            ? nothing
            : html`<p role="status">Loading…</p>`
          : list.length === 0
            ? html`<p>You do not share your portal with anyone.</p>`
            : html`<ul class="people">${list.map((e) => this.renderEntry(e))}</ul>`
      }
      ${
        this.inviting
          ? html`<section class="card" aria-labelledby="invite-title">
              <h2 id="invite-title" tabindex="-1">Invite someone</h2>
              <mcl-invite-form .session=${this.session} @invited=${(ev: CustomEvent<InvitedDetail>) => void this.done(ev.detail)}></mcl-invite-form>
              <p><button type="button" class="secondary" @click=${() => (this.inviting = false)}>Cancel</button></p>
            </section>`
          : list !== undefined
            ? html`<p><button type="button" @click=${() => void this.openInvite()}>Invite someone</button></p>`
            : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-sharing-page': SharingPage;
  }
}
