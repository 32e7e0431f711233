import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import type { PasswordField } from '../../ui/fields/password-field.js';
import '../../ui/fields/password-field.js';
import type { NotifyChoices } from '../../ui/fields/notify-choices.js';
import '../../ui/fields/notify-choices.js';
import { signupBody } from '../../../common/signup-schema.js';

/** The top of the form when answers need another look: how many, and that each says why beside it. */
export function checkAnswersSentence(count: number): string {
  return count === 1
    ? 'One answer needs another look: it is marked below, with what to change.'
    : `${count} answers need another look: each is marked below, with what to change.`;
}

type Method = 'activation-code' | 'record';

/**
 * Create an account: prove who you are (activation code, or record details), then choose sign-in details and how
 * to be told about news. The answer is the same whether or not the details matched: "check your email".
 */
@customElement('mcl-sign-up-page')
export class SignUpPage extends LitElement {
  static override styles = [pageStyles, formStyles];
  @state() private method: Method = 'activation-code';
  @state() private errors: Record<string, string> = {};
  @state() private problem: string | undefined;
  @state() private done: string | undefined;
  @state() private busy = false;
  @state() private personal: string[] = [];

  private field(name: string, label: string, type: string, autocomplete: string, hint?: string) {
    const error = this.errors[name];
    const described = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${name}>${label}</label>
      ${hint ? html`<span class="hint" id="${name}-hint">${hint}</span>` : nothing}
      <input id=${name} name=${name} type=${type} autocomplete=${autocomplete} aria-describedby=${described || nothing}
        aria-invalid=${error ? 'true' : 'false'} @input=${name === 'username' || name === 'email' ? this.updatePersonal : nothing} />
      ${error ? html`<p class="error" id="${name}-error">${error}</p>` : nothing}
    </div>`;
  }

  private readonly updatePersonal = () => {
    const value = (id: string) => this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.value ?? '';
    this.personal = [value('username'), value('email')].filter(Boolean);
  };

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '');
    const account = {
      email: value('email'),
      username: value('username'),
      password: this.renderRoot.querySelector<PasswordField>('mcl-password-field')!.value,
      phone: value('phone'),
      notify: this.renderRoot.querySelector<NotifyChoices>('mcl-notify-choices')!.value,
    };
    const body =
      this.method === 'activation-code'
        ? {
            method: this.method,
            activationCode: value('activationCode'),
            birthDate: value('birthDate'),
            ...account,
          }
        : {
            method: this.method,
            mrn: value('mrn'),
            birthDate: value('birthDate'),
            lastName: value('lastName'),
            lastVisitDate: value('lastVisitDate'),
            ...account,
          };
    this.errors = {};
    this.problem = undefined;
    // The server's own rules (common/signup-schema.ts), checked here first: nothing is sent until each answer
    // can be, and each problem is told beside its field.
    const checked = signupBody.safeParse(body);
    if (!checked.success) {
      const errors: Record<string, string> = {};
      for (const issue of checked.error.issues) errors[String(issue.path[0])] ??= issue.message;
      this.showErrors(errors);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[tabindex="-1"]')?.focus();
      return;
    }
    this.busy = true;
    try {
      const r = await ok(portal.api.signup.$post({ json: body }));
      this.done = r.message;
    } catch (error) {
      if (error instanceof ApiProblem && error.issues.length) {
        this.showErrors(Object.fromEntries(error.issues.map((i) => [i.path.split('.')[0], i.message])));
      } else if (error instanceof ApiProblem) {
        this.problem = error.message;
      } else {
        this.problem = 'That did not work. Please try again.';
      }
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[tabindex="-1"]')?.focus();
  }

  /** Each problem beside its field; the top says how many. A problem without a field of its own is said at the top. */
  private showErrors(errors: Record<string, string>) {
    // The inputs of this form by id, and the password field (its own element, which shows `errors.password`).
    const fields = new Set([...this.renderRoot.querySelectorAll('input[id]')].map((e) => e.id).concat('password'));
    const loose = Object.entries(errors).filter(([path]) => !fields.has(path));
    this.errors = errors;
    this.problem = [checkAnswersSentence(Object.keys(errors).length), ...loose.map(([, m]) => m)].join(' ');
  }

  override render() {
    if (this.done) {
      return html`<h1>Check your email</h1><p class="success" role="status" tabindex="-1">${this.done}</p>`;
    }
    return html`
      <h1>Create your account</h1>
      ${this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem}</p>` : nothing}
      <form @submit=${this.submit} novalidate>
        <fieldset>
          <legend>How would you like to prove who you are?</legend>
          <label class="choice"><input type="radio" name="method" value="activation-code" .checked=${this.method === 'activation-code'}
            @change=${() => (this.method = 'activation-code')} />With the activation code the clinic gave me</label>
          <label class="choice"><input type="radio" name="method" value="record" .checked=${this.method === 'record'}
            @change=${() => (this.method = 'record')} />With my medical record number and last visit</label>
        </fieldset>
        ${
          this.method === 'activation-code'
            ? this.field(
                'activationCode',
                'Activation code',
                'text',
                'one-time-code',
                'Sixteen letters and numbers, for example 7K3M-Q9XD-W2PN-4RTB.',
              )
            : html`${this.field('mrn', 'Medical record number', 'text', 'off', 'It is on your visit summary or clinic letters.')}
              ${this.field('lastName', 'Last name, as the clinic has it', 'text', 'family-name')}
              ${this.field('lastVisitDate', 'Date of your most recent visit', 'date', 'off')}`
        }
        ${this.field('birthDate', 'Date of birth', 'date', 'bday')}
        ${this.field('email', 'Email address', 'email', 'email', 'We send a link to confirm it. We never send health details by email.')}
        ${this.field('username', 'Username', 'text', 'username', '3 to 32 letters, digits, dots, dashes or underscores.')}
        <mcl-password-field .personal=${this.personal} .error=${this.errors.password}></mcl-password-field>
        ${this.field('phone', 'Mobile phone (optional)', 'tel', 'tel', 'Only for text alerts you choose below.')}
        <fieldset>
          <legend>Tell me when there is…</legend>
          <mcl-notify-choices></mcl-notify-choices>
        </fieldset>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Sending…' : 'Create my account'}</button>
      </form>
      <p>Already have an account? <a href="/sign-in">Sign in</a>.</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-sign-up-page': SignUpPage;
  }
}
