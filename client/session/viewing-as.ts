import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SignedInAccount } from './session-controller.js';
import {
  chooseViewed,
  loadPeople,
  peopleOf,
  takeEndedNotice,
  viewedPatient,
  VIEWING_CHANGE,
  type Person,
} from '../record/viewing.js';

const AS_WORDS: Record<Person['as'], string> = {
  self: 'your own record',
  caregiver: 'you help them as a caregiver',
  guardian: 'you are their guardian',
};

/**
 * "Viewing as: <name>" on every page ([3/11]) for an account that helps someone: whose record the pages show, and,
 * when there is more than one person, a choice of whom. Nothing for an account that sees only its own record.
 */
@customElement('mcl-viewing-as')
export class ViewingAs extends LitElement {
  static override styles = css`
    :host { display: block; }
    .bar { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; padding: 0.5rem 1rem; background: #fff7e0; border-bottom: 2px solid #b07d00; }
    p { margin: 0; }
    label { font-weight: 600; }
    select { font: inherit; min-height: 44px; padding: 0.25rem 0.5rem; border: 2px solid #4a5560; border-radius: 6px; }
    select:focus-visible { outline: 3px solid var(--mcl-focus, #b3540b); outline-offset: 2px; }
    .meta { color: #4a5560; }
  `;

  @property({ attribute: false }) account: SignedInAccount | undefined;
  private loadedFor: string | undefined;

  /** Whose access ended while this tab showed their record: said until another person is chosen. */
  @state() private endedName: string | undefined;
  private readonly onChange = () => {
    this.endedName = takeEndedNotice() ?? this.endedName;
    this.requestUpdate();
  };
  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener(VIEWING_CHANGE, this.onChange);
  }
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener(VIEWING_CHANGE, this.onChange);
  }

  override willUpdate(): void {
    const account = this.account;
    // Asked once per account and page load; offline it fails quietly and the pages show the own record.
    if (account?.kind === 'patient' && this.loadedFor !== account.id) {
      this.loadedFor = account.id;
      void loadPeople(account.id).catch(() => {});
    }
  }

  private choose(event: Event) {
    const id = (event.target as HTMLSelectElement).value;
    this.endedName = undefined;
    if (this.account) chooseViewed(this.account.id, id);
  }

  override render() {
    const account = this.account;
    if (account?.kind !== 'patient') return nothing;
    const people = peopleOf(account.id) ?? [];
    const ended = this.endedName
      ? html`<p class="ended" role="alert">Your access to ${this.endedName}’s record has ended, and the copy of it on this
          device has been deleted.</p>`
      : nothing;
    if (!people.some((p) => !p.self)) return ended === nothing ? nothing : html`<div class="bar">${ended}</div>`;
    const current = people.find((p) => p.id === viewedPatient(account)) ?? people[0]!;
    return html`<div class="bar" role="region" aria-label="Whose record">${ended}
      <p>Viewing as: <strong>${current.self ? `${current.name} (you)` : current.name}</strong>
        <span class="meta">(${AS_WORDS[current.as]})</span></p>
      ${
        people.length > 1
          ? html`<p><label for="person">Show the record of</label>
              <select id="person" @change=${this.choose}>
                ${people.map((p) => html`<option value=${p.id} ?selected=${p.id === current.id}>${p.self ? `${p.name} (you)` : p.name}</option>`)}
              </select></p>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-viewing-as': ViewingAs;
  }
}
