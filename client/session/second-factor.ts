import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ok, portal } from '../data/portal.js';
import { pageStyles } from '../ui/shared-styles.js';
import { formStyles } from '../ui/form-styles.js';
import { ActionController } from '../ui/action-controller.js';
import { passkeyAssertion, passkeyProblem, type AssertionAnswer } from './passkeys.js';

export type SecondFactorMethod = 'passkey' | 'totp' | 'sms' | 'recovery';
export type SecondFactorInput =
  { method: 'totp' | 'sms' | 'recovery'; code: string } | { method: 'passkey'; response: AssertionAnswer };

/** What the server answers when a password (or reset link) was right and a second step is needed. */
export interface SecondStep {
  step: 'second-factor';
  flow: string;
  methods: SecondFactorMethod[];
  smsTo?: string;
}

/**
 * The second step of a sign-in, step-up or password reset: the ways this account can confirm, strongest first.
 * A passkey is one button. An authenticator-app code or a texted code is typed (the text is sent only when asked
 * for, and it says where it went). A recovery code is offered last. The parent says what to do with the answer
 * (`submit`); problems come back as sentences, announced to screen readers.
 */
@customElement('mcl-second-factor')
export class SecondFactor extends LitElement {
  static override styles = [pageStyles, formStyles];
  @property({ attribute: false }) step!: SecondStep;
  @property({ attribute: false }) submit!: (input: SecondFactorInput) => Promise<void>;
  @state() private chosen: SecondFactorMethod | undefined;
  @state() private notice: string | undefined;
  private readonly action = new ActionController(this, { focus: '.alert', describe: passkeyProblem });

  private get method(): SecondFactorMethod | undefined {
    return (
      this.chosen ??
      this.step.methods.find((m) => m !== 'passkey' && m !== 'recovery') ??
      (this.step.methods.includes('passkey') ? undefined : this.step.methods[0])
    );
  }

  private usePasskey() {
    return this.action.run(async () => {
      const { flow } = this.step;
      const response = await passkeyAssertion(() =>
        ok(portal.api.session['second-factor']['passkey-options'].$post({ json: { flow } })),
      );
      await this.submit({ method: 'passkey', response });
    });
  }

  private sendText() {
    return this.action.run(async () => {
      const r = await ok(portal.api.session['second-factor'].sms.$post({ json: { flow: this.step.flow } }));
      this.notice = r.message;
      this.chosen = 'sms';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#code')?.focus();
    });
  }

  private sendCode(event: SubmitEvent) {
    event.preventDefault();
    const code = new FormData(event.target as HTMLFormElement).get('code');
    const method = this.method as 'totp' | 'sms' | 'recovery';
    return this.action.run(() => this.submit({ method, code: String(code ?? '') }));
  }

  private choose(method: SecondFactorMethod) {
    this.chosen = method;
    this.action.problem = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#code')?.focus());
  }

  override render() {
    const { methods } = this.step;
    const method = this.method;
    const labels = {
      totp: ['Code from your authenticator app', '6 digits. It changes every 30 seconds.'],
      sms: [
        'Code from the text message',
        `6 digits, sent to ${this.step.smsTo ?? 'your phone'}. It works for 10 minutes.`,
      ],
      recovery: ['Recovery code', 'One of the codes you saved, like 7K3M-Q9XD-W2PN-4RTB. Each works once.'],
    } as const;
    const others = methods.filter((m) => m !== method && m !== 'passkey');
    return html`
      <h2>Confirm it is you</h2>
      ${this.action.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.action.problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status">${this.notice}</p>` : nothing}
      ${
        methods.includes('passkey')
          ? html`<p><button type="button" class="passkey" ?disabled=${this.action.busy} @click=${this.usePasskey}>Use my passkey</button></p>`
          : nothing
      }
      ${
        method === 'sms' && !this.notice
          ? html`<p><button type="button" ?disabled=${this.action.busy} @click=${this.sendText}>Text me a code</button></p>`
          : nothing
      }
      ${
        method && (method !== 'sms' || this.notice)
          ? html`<form @submit=${this.sendCode} novalidate>
            <div class="field">
              <label for="code">${labels[method as 'totp'][0]}</label>
              <span class="hint" id="code-hint">${labels[method as 'totp'][1]}</span>
              <input id="code" name="code" type="text" autocomplete="one-time-code" spellcheck="false" autocapitalize="characters"
                inputmode=${method === 'recovery' ? 'text' : 'numeric'} aria-describedby="code-hint" aria-invalid=${this.action.problem ? 'true' : 'false'} />
            </div>
            <button type="submit" ?disabled=${this.action.busy}>${this.action.busy ? 'Checking…' : 'Confirm'}</button>
          </form>`
          : nothing
      }
      ${
        others.length
          ? html`<p>Or:</p>
            <ul class="choices">
              ${others.map(
                (
                  m,
                ) => html`<li><button type="button" class="link" @click=${() => (m === 'sms' ? this.sendText() : this.choose(m))}>
                  ${m === 'totp' ? 'Use a code from my authenticator app' : m === 'sms' ? `Text a code to ${this.step.smsTo ?? 'my phone'}` : 'Use a recovery code'}
                </button></li>`,
              )}
            </ul>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-second-factor': SecondFactor;
  }
}
