import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { sessionContext } from '../../session/session-context.js';
import { SessionWatch } from '../../session/session-watch.js';
import { RETURN_KEY, type SessionController } from '../../session/session-controller.js';
import { navigate } from '../../session/navigate.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import { tokenFromHash } from '../../ui/token-from-hash.js';
import type { PasswordField } from '../../ui/fields/password-field.js';
import '../../ui/fields/password-field.js';
import { usernameSchema } from '../../../common/signup-schema.js';
import { dayWords, refusal, scopeForHelper, whenWords, type InvitationPreview } from './sharing-words.js';
import './consent-text.js';

/** Where the link's token waits (this tab only) while the person signs in to accept with an account they have. */
export const INVITE_TOKEN_KEY = 'mcl-caregiver-invite';

/**
 * Opened from an invitation mail (`/caregiver-invite#token=…`, server/caregivers/notices.ts): who invites, what
 * they may do, the consent text the patient accepted. The person accepts into the account they are signed in
 * with, signs in first to do so, or makes an account of their own (name, username, password; the invited address,
 * no record number), then signs in and protects it with a second step as every new account does.
 */
@customElement('mcl-caregiver-invite-page')
export class CaregiverInvitePage extends LitElement {
  static override styles = [pageStyles, formStyles];
  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;
  protected readonly sessionWatch = new SessionWatch(this);
  @state() private preview: InvitationPreview | undefined;
  @state() private problem: string | undefined;
  @state() private done: { message: string; signIn: boolean } | undefined;
  @state() private errors: Record<string, string> = {};
  @state() private busy = false;
  @state() private token = tokenFromHash() ?? sessionStorage.getItem(INVITE_TOKEN_KEY) ?? undefined;

  /** A code typed from the care team's letter (a guardian's activation), when there is no link to open. */
  private typedCode(event: SubmitEvent) {
    event.preventDefault();
    const code = String(new FormData(event.target as HTMLFormElement).get('code') ?? '')
      .toUpperCase()
      .replace(/[^0-9A-Z]/g, '');
    if (code.length < 16) {
      this.errors = { code: 'The code has 16 letters and digits, as on the letter (the dashes may be left out).' };
      return;
    }
    this.errors = {};
    this.token = code;
    void this.load(code);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.token) void this.load(this.token);
  }

  private async load(token: string) {
    try {
      this.preview = await ok(portal.api.caregiver.invitation.$post({ json: { token } }));
    } catch (error) {
      this.problem =
        error instanceof ApiProblem ? error.message : 'The invitation could not be opened. Please try again.';
      sessionStorage.removeItem(INVITE_TOKEN_KEY);
    }
  }

  /** The link is spent: keep its token out of history and storage. */
  private finished(message: string, signIn: boolean) {
    sessionStorage.removeItem(INVITE_TOKEN_KEY);
    history.replaceState(null, '', location.pathname);
    this.done = { message, signIn };
    this.problem = undefined;
  }

  private async accept() {
    this.busy = true;
    this.problem = undefined;
    try {
      const answer = await ok(portal.api.caregiver.invitation.accept.$post({ json: { token: this.token! } }));
      this.finished(answer.message, false);
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'That did not work. Please try again.';
    } finally {
      this.busy = false;
    }
    await this.focusOutcome();
  }

  private signInFirst() {
    sessionStorage.setItem(INVITE_TOKEN_KEY, this.token!);
    sessionStorage.setItem(RETURN_KEY, '/caregiver-invite');
    navigate(this, '/sign-in');
  }

  private async signUp(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const name = String(data.get('name') ?? '').trim();
    const username = String(data.get('username') ?? '').trim();
    const password = this.renderRoot.querySelector<PasswordField>('mcl-password-field')!.value;
    const errors: Record<string, string> = {};
    if (!name) errors.name = 'Enter your name.';
    const checked = usernameSchema.safeParse(username);
    if (!checked.success) errors.username = checked.error.issues[0]!.message;
    if (!password) errors.password = 'Choose a password.';
    this.errors = errors;
    this.problem = undefined;
    if (Object.keys(errors).length) {
      this.problem = 'Your account was not made yet: please look at what is marked below.';
      return this.focusOutcome();
    }
    this.busy = true;
    try {
      const answer = await ok(
        portal.api.caregiver.invitation['sign-up'].$post({ json: { token: this.token!, name, username, password } }),
      );
      this.finished(answer.message, true);
    } catch (error) {
      ({ problem: this.problem, errors: this.errors } = refusal(error));
    } finally {
      this.busy = false;
    }
    await this.focusOutcome();
  }

  private async focusOutcome() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.alert, .success')?.focus();
  }

  private field(name: 'name' | 'username', label: string, autocomplete: string, value = '', hint?: string) {
    const id = `new-${name}`;
    const error = this.errors[name];
    const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : nothing}
      <input id=${id} name=${name} type="text" autocomplete=${autocomplete} .value=${value}
        aria-describedby=${described || nothing} aria-invalid=${error ? 'true' : 'false'} />
      ${error ? html`<p class="error" id="${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  private renderChoices(p: InvitationPreview) {
    const account = this.session?.account;
    if (account)
      return html`<h2>Accept</h2>
        <p>You are signed in as <strong>${account.displayName}</strong> (${account.email}). ${p.patientName} will be told which account accepted.</p>
        <p><button type="button" ?disabled=${this.busy} @click=${this.accept}>Accept with this account</button></p>`;
    return html`<h2>I already have an account here</h2>
      <p><button type="button" class="secondary" @click=${this.signInFirst}>Sign in to accept</button></p>
      <h2>Make my own account</h2>
      <p>For you alone: you sign in with it, never with ${p.patientName}’s details. No record number is needed.</p>
      <form @submit=${this.signUp} novalidate>
        ${this.field('name', 'Your name', 'name', p.invitedName)}
        <p>Your email address: <strong>${p.invitedEmail}</strong> (the invitation came to it, so it is already confirmed).</p>
        ${this.field('username', 'Choose a username', 'username', '', '3 to 32 letters, digits, dots, dashes or underscores.')}
        <mcl-password-field label="Choose a password" .personal=${[p.invitedEmail ?? '', p.invitedName]} .error=${this.errors.password}></mcl-password-field>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Making your account…' : 'Make my account and accept'}</button>
      </form>`;
  }

  override render() {
    const title = html`<h1>${this.preview ? `An invitation to help ${this.preview.patientName}` : 'An invitation to help'}</h1>`;
    if (!this.token)
      return html`${title}<p>This page opens from the link in the invitation email. If that link does not work, open it
          from the email again, or copy all of it into the address bar.</p>
        <h2>A code from the care team</h2>
        <form @submit=${this.typedCode} novalidate>
          <div class="field">
            <label for="code">Activation code from your letter</label>
            <span class="hint" id="code-hint">16 letters and digits, for example ABCD-EFGH-2345-6789.</span>
            <input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
              aria-describedby=${this.errors.code ? 'code-hint code-error' : 'code-hint'} aria-invalid=${this.errors.code ? 'true' : 'false'} />
            ${this.errors.code ? html`<p class="error" id="code-error">${this.errors.code}</p>` : nothing}
          </div>
          <button type="submit">Open the invitation</button>
        </form>`;
    if (this.done)
      return html`${title}<p class="success" role="status" tabindex="-1">${this.done.message}</p>
        <p>${this.done.signIn ? html`<a href="/sign-in">Sign in now</a>` : html`<a href="/">Go to Home</a>`}</p>`;
    const p = this.preview;
    const alert = this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem}</p>` : nothing;
    if (!p)
      return html`${title}${alert}${alert === nothing ? html`<p role="status">Opening the invitation…</p>` : html`<p><a href="/">Go to Home</a></p>`}`;
    return html`${title}${alert}
      ${
        p.kind === 'guardian'
          ? html`<p>The care team set up ${p.invitedName}${p.invitedEmail ? ` (${p.invitedEmail})` : ''} as a parent or guardian of <strong>${p.patientName}</strong>, to use the portal for them.</p>`
          : html`<p><strong>${p.patientName}</strong> invited ${p.invitedName}${p.invitedEmail ? ` (${p.invitedEmail})` : ''} to help with their portal account.</p>`
      }
      <p>If you accept, you may:</p>
      <ul>${p.scopes.map((s) => html`<li>${scopeForHelper(s)}</li>`)}</ul>
      <p>${p.endsOn ? `Until the end of ${dayWords(p.endsOn)}.` : p.kind === 'guardian' ? 'It follows the clinic’s rules for the child’s age; the care team can end it.' : `There is no end date; ${p.patientName} can end it at any time.`}
        This link works once, until ${whenWords(p.expiresAt)}.</p>
      ${
        'attestation' in p && p.attestation
          ? html`<h2>What you confirm by accepting</h2>
              <p class="attestation">${p.attestation.text}</p>`
          : html`<h2>What ${p.patientName} agreed to</h2>
              <mcl-consent-text></mcl-consent-text>`
      }
      ${this.renderChoices(p)}
      <p>If you do not know ${p.patientName} or do not want to help, close this page: nothing happens.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-caregiver-invite-page': CaregiverInvitePage;
  }
}
