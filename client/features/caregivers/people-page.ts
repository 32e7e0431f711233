import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { sessionContext } from '../../session/session-context.js';
import { SessionWatch } from '../../session/session-watch.js';
import type { SessionController } from '../../session/session-controller.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import type { ConfirmDialog } from '../../ui/confirm-dialog.js';
import '../../ui/confirm-dialog.js';
import { dayWords, scopeForHelper, whenWords, type HelpedPerson } from './sharing-words.js';

/**
 * "People I help" ([3/11]): whom this account may use the portal for, what it may do for each and until when,
 * and "Stop helping" (after a question), which ends that access at once.
 */
@customElement('mcl-people-page')
export class PeoplePage extends LitElement {
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
    `,
  ];
  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;
  protected readonly sessionWatch = new SessionWatch(this);
  @query('mcl-confirm-dialog') private confirmDialog!: ConfirmDialog;
  @state() private people: HelpedPerson[] | undefined;
  @state() private problem: string | undefined;
  @state() private notice: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.people = (await ok(portal.api.caregiver.people.$get())).people;
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'The people you help could not be loaded.';
    }
  }

  private async leave(person: HelpedPerson) {
    const yes = await this.confirmDialog.ask({
      title: `Stop helping ${person.name}?`,
      text: `You will no longer be able to see or do anything for ${person.name}. ${person.name} would have to invite you again.`,
      yes: `Stop helping ${person.name}`,
    });
    if (!yes) return;
    this.problem = undefined;
    this.notice = undefined;
    try {
      const answer = await ok(
        portal.api.caregiver.people[':id'].$delete({ param: { id: encodeURIComponent(person.grantId) } }),
      );
      this.notice = answer.message;
      await this.load();
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'That did not work. Please try again.';
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.alert, .success')?.focus();
  }

  override render() {
    if (!this.session?.account)
      return html`<h1>People you help</h1><p>Please <a href="/sign-in">sign in</a> first.</p>`;
    const people = this.people;
    return html`<mcl-confirm-dialog></mcl-confirm-dialog>
      <h1>People you help</h1>
      <p><a href="/account/security">Back to Account</a></p>
      ${this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      ${
        people === undefined
          ? this.problem
            ? nothing
            : html`<p role="status">Loading…</p>`
          : people.length === 0
            ? html`<p>You do not help anyone with their portal. When someone invites you, open the link in their email.</p>`
            : html`<ul class="people">
              ${people.map(
                (p) => html`<li class="card" aria-labelledby="person-${p.grantId}">
                  <h2 id="person-${p.grantId}">${p.name}</h2>
                  <p>${p.kind === 'guardian' ? 'You are their parent or guardian.' : `${p.name} invited you to help.`} Since ${whenWords(p.since)}.</p>
                  <p>You may:</p>
                  <ul>${p.scopes.map((s) => html`<li>${scopeForHelper(s)}</li>`)}</ul>
                  ${p.narrowedByAge ? html`<p>Some things are not shared any more because of ${p.name}’s age.</p>` : nothing}
                  <p>${p.endsOn ? `Until the end of ${dayWords(p.endsOn)}.` : 'No end date.'}</p>
                  <button type="button" class="secondary" @click=${() => void this.leave(p)}>Stop helping ${p.name}</button>
                </li>`,
              )}
            </ul>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-people-page': PeoplePage;
  }
}
