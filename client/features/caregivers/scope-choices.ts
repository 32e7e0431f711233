import { html, nothing } from 'lit';
import { CARE_SCOPES, orderScopes, type CareScope } from '../../../common/caregiver-consent.js';
import { scopeLabel } from './sharing-words.js';
import './consent-text.js';

/**
 * The four permissions as checkboxes with their plain labels, in a fieldset whose legend asks the question; `id`
 * makes the ids unique on a page (an invitation and each caregiver's change form), `error` is said beside them.
 */
export function scopeChoices(id: string, checked: readonly CareScope[], error?: string) {
  return html`<fieldset aria-describedby=${error ? `${id}-scopes-error` : nothing}>
    <legend>What may they do for you?</legend>
    ${CARE_SCOPES.map(
      (s) =>
        html`<label class="choice"><input type="checkbox" name="scopes" value=${s} .checked=${checked.includes(s)} />${scopeLabel(s)}</label>`,
    )}
    ${error ? html`<p class="error" id="${id}-scopes-error">${error}</p>` : nothing}
  </fieldset>`;
}

/** The ticked permissions of a form made with `scopeChoices`. */
export function chosenScopes(form: HTMLFormElement): CareScope[] {
  return orderScopes(new FormData(form).getAll('scopes').map(String));
}

/** What a form says when "I have read and agree" is not ticked. */
export const AGREE_FIRST = 'Tick "I have read and agree" once you have read the text above.';

/** The consent text in full and "I have read and agree" under it (`id` makes its ids unique on the page). */
export function consentAgreement(id: string, error?: string) {
  return html`<mcl-consent-text></mcl-consent-text>
    <div class="field">
      <label class="choice"><input type="checkbox" id="${id}-agree" name="agree"
        aria-describedby=${error ? `${id}-agree-error` : nothing} aria-invalid=${error ? 'true' : 'false'} />I have read and agree</label>
      ${error ? html`<p class="error" id="${id}-agree-error">${error}</p>` : nothing}
    </div>`;
}
