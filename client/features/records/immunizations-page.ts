import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { Immunization } from 'fhir/r4';
import { conceptText, formatDate } from '../../record/fhir-display.js';
import { ListPage } from './list-page.js';

@customElement('mcl-immunizations-page')
export class ImmunizationsPage extends ListPage<Immunization> {
  protected readonly heading = 'Immunizations';
  protected readonly type = 'Immunization';
  protected readonly empty = 'No immunizations in your record.';
  protected item(i: Immunization) {
    return html`<h2>${conceptText(i.vaccineCode)}</h2><p class="meta">${formatDate(i.occurrenceDateTime)}${i.status !== 'completed' ? ` · ${i.status}` : ''}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-immunizations-page': ImmunizationsPage;
  }
}
