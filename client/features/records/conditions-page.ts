import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { Condition } from 'fhir/r4';
import { conceptText, formatDate } from '../../record/fhir-display.js';
import { ListPage, statusCode } from './list-page.js';

@customElement('mcl-conditions-page')
export class ConditionsPage extends ListPage<Condition> {
  protected readonly heading = 'Health problems';
  protected readonly type = 'Condition';
  protected readonly empty = 'No health problems in your record.';
  protected item(c: Condition) {
    const current = statusCode(c.clinicalStatus);
    return html`<h2>${conceptText(c.code)}</h2>
      <p>${current === 'active' ? 'Current' : current === 'resolved' ? 'Resolved' : current ? `Status: ${current}` : ''}</p>
      <p class="meta">Since ${formatDate(c.onsetDateTime ?? c.recordedDate)}${c.abatementDateTime ? `, until ${formatDate(c.abatementDateTime)}` : ''}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-conditions-page': ConditionsPage;
  }
}
