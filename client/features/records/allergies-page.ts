import { html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { AllergyIntolerance } from 'fhir/r4';
import { conceptText, formatDate } from '../../record/fhir-display.js';
import { ListPage, statusCode } from './list-page.js';

@customElement('mcl-allergies-page')
export class AllergiesPage extends ListPage<AllergyIntolerance> {
  protected readonly heading = 'Allergies';
  protected readonly type = 'AllergyIntolerance';
  protected readonly empty = 'No allergies in your record.';
  protected item(a: AllergyIntolerance) {
    const reactions = a.reaction?.flatMap((r) => r.manifestation.map((m) => conceptText(m))) ?? [];
    return html`<h2>${conceptText(a.code)}</h2>
      <p>${a.criticality === 'high' ? html`<span class="flag high">High risk</span> ` : nothing}${statusCode(a.clinicalStatus) ? `Status: ${statusCode(a.clinicalStatus)}. ` : ''}${a.category?.length ? `Kind: ${a.category.join(', ')}.` : ''}</p>
      ${reactions.length ? html`<p>Reactions: ${reactions.join(', ')}</p>` : nothing}
      <p class="meta">Recorded ${formatDate(a.recordedDate ?? a.onsetDateTime)}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-allergies-page': AllergiesPage;
  }
}
