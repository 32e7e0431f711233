import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { CARE_SCOPES, caregiverConsent, CURRENT_CAREGIVER_CONSENT } from '../../../common/caregiver-consent.js';
import { dayWords } from './sharing-words.js';

/**
 * The caregiver consent text in full (common/caregiver-consent.ts), word for word as the server stores its version:
 * what each permission shares, and what is always true. `version`: an older text someone accepted; the current
 * one by default.
 */
@customElement('mcl-consent-text')
export class ConsentText extends LitElement {
  static override styles = [
    pageStyles,
    css`
      :host {
        border: 2px solid var(--mcl-border, #c9d2d6);
        border-radius: 8px;
        padding: 0.75rem 1rem;
        margin: 0 0 1rem;
        background: var(--mcl-surface, #fff);
      }
      h3 {
        margin: 0 0 0.5rem;
        font-size: 1.15rem;
      }
      dt {
        font-weight: 600;
        margin-top: 0.5rem;
      }
      dd {
        margin: 0 0 0 1rem;
      }
      .version {
        font-size: 0.95rem;
        color: #4a5560;
      }
    `,
  ];
  @property() version = CURRENT_CAREGIVER_CONSENT.version;

  override render() {
    const text = caregiverConsent(this.version) ?? CURRENT_CAREGIVER_CONSENT;
    return html`<section aria-labelledby="consent-title">
      <h3 id="consent-title">${text.title}</h3>
      <p>${text.intro}</p>
      <dl>
        ${CARE_SCOPES.map((s) => html`<dt>${text.scopes[s].label}</dt><dd>${text.scopes[s].shares}</dd>`)}
      </dl>
      <p>Whatever you choose:</p>
      <ul>
        ${text.always.map((line) => html`<li>${line}</li>`)}
      </ul>
      <p class="version">Consent text version ${text.version}, of ${dayWords(text.issued)}.</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-consent-text': ConsentText;
  }
}
