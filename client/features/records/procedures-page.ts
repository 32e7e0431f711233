import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { Procedure } from 'fhir/r4';
import { conceptText, formatDate } from '../../record/fhir-display.js';
import { ListPage } from './list-page.js';

@customElement('mcl-procedures-page')
export class ProceduresPage extends ListPage<Procedure> {
  protected readonly heading = 'Procedures';
  protected readonly type = 'Procedure';
  protected readonly empty = 'No procedures in your record.';
  protected item(p: Procedure) {
    return html`<h2>${conceptText(p.code)}</h2><p class="meta">${formatDate(p.performedDateTime ?? p.performedPeriod?.start)}${p.status !== 'completed' ? ` · ${p.status}` : ''}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-procedures-page': ProceduresPage;
  }
}
