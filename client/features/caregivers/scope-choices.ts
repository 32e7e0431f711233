import { html, nothing } from 'lit';
import { CARE_SCOPES, orderScopes, type CareScope } from '../../../common/caregiver-consent.js';
import { scopeLabel } from './sharing-words.js';

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
