import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import type { PasswordField } from '../../ui/fields/password-field.js';
import '../../ui/fields/password-field.js';

type Method = 'activation-code' | 'record';
const TOPICS = [
  ['newMessage', 'A new message from your care team'],
  ['appointmentReminder', 'Appointment reminders'],
  ['newResult', 'A new test result'],
] as const;
type Topic = (typeof TOPICS)[number][0];

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
    const chosen = (key: Topic) => ({
      email: form.querySelector<HTMLInputElement>(`#${key}-email`)!.checked,
      text: form.querySelector<HTMLInputElement>(`#${key}-text`)!.checked,
    });
    const account = {
      email: value('email'),
      username: value('username'),
      password: this.renderRoot.querySelector<PasswordField>('mcl-password-field')!.value,
      phone: value('phone'),
      notify: {
        newMessage: chosen('newMessage'),
        appointmentReminder: chosen('appointmentReminder'),
        newResult: chosen('newResult'),
      },
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
    this.busy = true;
    this.errors = {};
    this.problem = undefined;
    try {
      const r = await ok(portal.api.signup.$post({ json: body }));
      this.done = r.message;
    } catch (error) {
      if (error instanceof ApiProblem) {
        this.problem = error.message;
        this.errors = Object.fromEntries(error.issues.map((i) => [i.path, i.message]));
      } else {
        this.problem = 'That did not work. Please try again.';
      }
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[tabindex="-1"]')?.focus();
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
          ${TOPICS.map(
            ([key, label]) => html`<p class="hint">${label}:</p>
              <label class="choice"><input type="checkbox" id="${key}-email" checked />by email</label>
              <label class="choice"><input type="checkbox" id="${key}-text" />by text message</label>`,
          )}
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
