import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { checkPassword } from '../../../common/password-policy.js';
import { formStyles } from '../../ui/form-styles.js';

/**
 * A new-password field that explains itself as the person types: the same rules the server applies
 * (server/auth/password-policy.ts), said in words, never as a bare colour bar.
 */
@customElement('mcl-password-field')
export class PasswordField extends LitElement {
  static override styles = formStyles;
  static formAssociated = false;

  @property() label = 'New password';
  @property({ attribute: false }) personal: string[] = [];
  @property() error: string | undefined;
  @state() value = '';

  override render() {
    const verdict = this.value ? checkPassword(this.value, { personal: this.personal }) : undefined;
    const help = verdict
      ? verdict.ok
        ? `Good: ${verdict.length} characters, not a common password.`
        : verdict.problems.map((p) => p.message).join(' ')
      : 'At least 15 characters. A few unrelated words make a strong password that is easy to remember. No other rules.';
    return html`<div class="field">
      <label for="password">${this.label}</label>
      <span class="hint" id="password-help" aria-live="polite">${help}</span>
      <input id="password" name="password" type="password" autocomplete="new-password" required
        aria-describedby="password-help${this.error ? ' password-error' : ''}" aria-invalid=${this.error ? 'true' : 'false'}
        @input=${(e: Event) => (this.value = (e.target as HTMLInputElement).value)} />
      ${this.error ? html`<p class="error" id="password-error">${this.error}</p>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-password-field': PasswordField;
  }
}
