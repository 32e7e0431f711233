import { css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { StaffPage } from '../../../session/staff-page.js';
import { ApiProblem } from '../../../data/api.js';
import { ok, portal, type Success } from '../../../data/portal.js';
import { pageStyles } from '../../../ui/shared-styles.js';
import { formStyles } from '../../../ui/form-styles.js';
import { withStepUp, type ReauthDialog } from '../../../session/reauth-dialog.js';
import '../../../session/reauth-dialog.js';
import { CARE_SCOPES, CURRENT_CAREGIVER_CONSENT, type CareScope } from '../../../../common/caregiver-consent.js';

/** A child's guardians as the server answers them (server/routes/staff-guardians.ts). */
type Lookup = Success<Awaited<ReturnType<typeof portal.api.staff.guardians.$get>>>;
type Guardian = Lookup['guardians'][number];
type Added = Success<Awaited<ReturnType<typeof portal.api.staff.guardians.$post>>>;

const STATES: Record<string, string> = {
  invited: 'Waiting for activation',
  'invitation-expired': 'Activation code expired',
  active: 'Active',
  expired: 'Ended (end date)',
  'ended-by-age': 'Ended by the child’s age',
  revoked: 'Ended by the care team',
  left: 'Gave up their access',
  'not-accepted': 'Waiting for activation',
};
const STAGES: Record<string, string> = {
  child: 'a guardian may do everything they are given',
  narrowed: 'a guardian’s access is narrowed by age',
  adult: 'not a minor: a guardian cannot be set up',
  unknown: 'no date of birth in the record: a guardian cannot be set up',
};
const label = (s: CareScope) => CURRENT_CAREGIVER_CONSENT.scopes[s].label;

/**
 * Parents and guardians of minors, for the care team ([3/11]): find the child by MRN or patient id, see who has
 * access and what they may do today (the clinic's age rules), set up a parent or guardian (the activation code is
 * mailed to them and shown here once, to hand over on paper), and end one's access. Setting up and ending ask for
 * a recent sign-in. Online only; every look is audited.
 */
@customElement('mcl-guardians-page')
export class GuardiansPage extends StaffPage {
  static override styles = [
    pageStyles,
    formStyles,
    css`
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: left; padding: 0.4rem 0.6rem 0.4rem 0; border-bottom: 1px solid #c9d2d6; vertical-align: top; }
      .code { font-family: ui-monospace, monospace; font-size: 1.5rem; letter-spacing: 0.08em; }
      .activation { border: 2px dashed #1e6b3a; border-radius: 8px; padding: 0.75rem 1rem; margin: 0 0 1rem; }
    `,
  ];
  @query('mcl-reauth-dialog') private dialog!: ReauthDialog;
  @state() private ref = '';
  @state() private found: Lookup | undefined;
  @state() private added: Added | undefined;
  @state() private problem: string | undefined;
  @state() private errors: Record<string, string> = {};
  @state() private notice: string | undefined;
  @state() private ending: string | undefined;
  @state() private busy = false;

  protected async load() {
    const ref = new URLSearchParams(location.search).get('patient');
    if (ref) {
      this.ref = ref;
      await this.find();
    }
  }

  private async find() {
    this.problem = undefined;
    try {
      this.found = await ok(portal.api.staff.guardians.$get({ query: { patient: this.ref } }));
    } catch (error) {
      this.found = undefined;
      this.problem = error instanceof ApiProblem ? error.message : 'The patient could not be looked up.';
    }
  }

  private async act(work: () => Promise<void>) {
    this.busy = true;
    this.problem = undefined;
    this.notice = undefined;
    this.errors = {};
    try {
      await work();
    } catch (error) {
      if (error instanceof ApiProblem && error.issues.length)
        this.errors = Object.fromEntries(error.issues.map((i) => [i.path.split('.')[0]!, i.message]));
      this.problem = error instanceof ApiProblem ? error.message : 'That did not work. Please try again.';
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[role=alert], .activation, [role=status]')?.focus();
  }

  private add(event: SubmitEvent) {
    event.preventDefault();
    // Read now: once the event is over, its target is the page itself (shadow DOM retargeting).
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    const found = this.found!;
    return this.act(async () => {
      const answer = await withStepUp(this.dialog, () =>
        ok(
          portal.api.staff.guardians.$post({
            json: {
              patient: found.patient.id,
              name: String(form.get('name') ?? ''),
              email: String(form.get('email') ?? ''),
              scopes: form.getAll('scopes').map(String) as CareScope[],
              attestation: form.get('attested') ? found.attestation.version : '',
            },
          }),
        ),
      );
      if (!answer) return;
      this.added = answer;
      formElement.reset();
      await this.find();
    });
  }

  private end(g: Guardian) {
    return this.act(async () => {
      const answer = await withStepUp(this.dialog, () =>
        ok(portal.api.staff.guardians[':id'].$delete({ param: { id: g.id } })),
      );
      if (!answer) return;
      this.notice = answer.message;
      this.ending = undefined;
      await this.find();
    });
  }

  private field(name: string, text: string, type: string, autocomplete: string) {
    const err = this.errors[name];
    return html`<div class="field">
      <label for="g-${name}">${text}</label>
      <input id="g-${name}" name=${name} type=${type} autocomplete=${autocomplete} required
        aria-invalid=${err ? 'true' : 'false'} aria-describedby=${err ? `g-${name}-error` : nothing} />
      ${err ? html`<p class="error" id="g-${name}-error">${err}</p>` : nothing}
    </div>`;
  }

  private renderGuardians(list: Guardian[]) {
    if (!list.length) return html`<p>No parent or guardian has been set up for this patient.</p>`;
    return html`<table>
      <caption class="meta">Parents and guardians, newest first</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">State</th><th scope="col">May do today</th><th scope="col">Set up</th><th scope="col"><span class="meta">Action</span></th></tr></thead>
      <tbody>
        ${list.map(
          (g) => html`<tr>
            <td>${g.name}<br /><span class="meta">${g.acceptedBy?.email ?? g.email}</span></td>
            <td>${STATES[g.state] ?? g.state}</td>
            <td>${g.allowedNow.length ? g.allowedNow.map(label).join('; ') : html`<span class="meta">nothing</span>`}</td>
            <td>${g.invitedAt.slice(0, 10)}</td>
            <td>${
              g.state === 'active' || g.state === 'invited' || g.state === 'not-accepted'
                ? this.ending === g.id
                  ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.end(g)}>End ${g.name}’s access</button>
                      <button type="button" class="secondary" @click=${() => (this.ending = undefined)}>Keep it</button>`
                  : html`<button type="button" class="secondary" @click=${() => (this.ending = g.id)} aria-label="End access for ${g.name}">End access</button>`
                : nothing
            }</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderAddForm(found: Lookup) {
    const scopesErr = this.errors.scopes;
    const attestErr = this.errors.attestation;
    return html`<h2 id="add-heading">Set up a parent or guardian</h2>
      <form @submit=${this.add} novalidate aria-labelledby="add-heading">
        ${this.field('name', 'Their full name', 'text', 'off')}
        ${this.field('email', 'Their email address (the activation link is sent there)', 'email', 'off')}
        <fieldset aria-describedby=${scopesErr ? 'g-scopes-error' : nothing}>
          <legend>They may</legend>
          ${CARE_SCOPES.map(
            (s) =>
              html`<label class="choice"><input type="checkbox" name="scopes" value=${s} checked />${label(s)}</label>`,
          )}
          ${scopesErr ? html`<p class="error" id="g-scopes-error">${scopesErr}</p>` : nothing}
        </fieldset>
        <p class="hint">${found.rules.text}</p>
        <div class="field">
          <label class="choice"><input type="checkbox" name="attested" required
            aria-invalid=${attestErr ? 'true' : 'false'} aria-describedby=${attestErr ? 'g-attested-error' : nothing} />${found.attestation.text}</label>
          ${attestErr ? html`<p class="error" id="g-attested-error">${attestErr}</p>` : nothing}
        </div>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Setting up…' : 'Set up and email the activation code'}</button>
      </form>`;
  }

  override render() {
    if (this.session?.account?.kind !== 'staff')
      return html`<h1>Parents and guardians</h1><p>This page is for the care team.</p>`;
    const found = this.found;
    const p = found?.patient;
    const a = this.added;
    return html`<mcl-reauth-dialog .session=${this.session}></mcl-reauth-dialog>
      <h1>Parents and guardians</h1>
      <p>A parent or guardian of a minor gets access to the child’s record here. What they may do follows the child’s age.</p>
      <form role="search" @submit=${(e: SubmitEvent) => (e.preventDefault(), void this.find())}>
        <div class="field"><label for="ref">The child’s MRN or patient id</label>
          <input id="ref" type="text" autocomplete="off" .value=${this.ref} @input=${(e: Event) => (this.ref = (e.target as HTMLInputElement).value)} /></div>
        <button type="submit">Find</button>
      </form>
      ${this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      ${
        a
          ? html`<section class="activation" tabindex="-1" aria-labelledby="activation-heading">
              <h2 id="activation-heading">Activation for ${a.guardian.name}</h2>
              <p role="status">${a.message}</p>
              <p>Activation code (shown only now): <span class="code">${a.activation.code}</span></p>
              <p>Link: <span class="code" style="font-size:1rem">${a.activation.link}</span></p>
              <p>Valid once, until ${a.activation.expiresAt.slice(0, 10)}.</p>
              <button type="button" class="secondary" @click=${() => window.print()}>Print for ${a.guardian.name}</button>
              <button type="button" class="secondary" @click=${() => (this.added = undefined)}>Done</button>
            </section>`
          : nothing
      }
      ${
        found && p
          ? html`<section aria-labelledby="child-heading">
              <h2 id="child-heading">${p.name}</h2>
              <p>Born ${p.birthDate ?? 'unknown'}${p.age !== null ? html`, ${p.age} years old` : nothing}${p.mrn ? html` · ${p.mrn}` : nothing}: ${STAGES[p.stage]}.</p>
              ${this.renderGuardians(found.guardians)}
              ${p.stage === 'child' || p.stage === 'narrowed' ? this.renderAddForm(found) : nothing}
            </section>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-guardians-page': GuardiansPage;
  }
}
