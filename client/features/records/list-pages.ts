import { html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { AllergyIntolerance, Condition, Immunization, Procedure } from 'fhir/r4';
import type { Vault } from '../../record/vault.js';
import { RecordPage } from '../../session/record-page.js';
import { conceptText, formatDate } from '../../record/fhir-display.js';

/** A simple list of one kind of record entry, newest first: what it is, when, and its status. */
abstract class ListPage<T extends { id?: string }> extends RecordPage {
  protected abstract readonly type: string;
  protected abstract readonly empty: string;
  @state() protected items: T[] = [];
  protected abstract item(entry: T): TemplateResult;

  protected async load(vault: Vault, patientId: string) {
    this.items = await vault.list<T>(patientId, this.type);
  }

  protected renderBody() {
    return this.items.length
      ? html`<ul class="items">${this.items.map((e) => html`<li class="card">${this.item(e)}</li>`)}</ul>`
      : html`<p>${this.empty}</p>`;
  }
}

const status = (cc: { coding?: { code?: string }[] } | undefined) => cc?.coding?.[0]?.code;

@customElement('mcl-allergies-page')
export class AllergiesPage extends ListPage<AllergyIntolerance> {
  protected readonly heading = 'Allergies';
  protected readonly type = 'AllergyIntolerance';
  protected readonly empty = 'No allergies in your record.';
  protected item(a: AllergyIntolerance) {
    const reactions = a.reaction?.flatMap((r) => r.manifestation.map((m) => conceptText(m))) ?? [];
    return html`<h2>${conceptText(a.code)}</h2>
      <p>${a.criticality === 'high' ? html`<span class="flag high">High risk</span> ` : nothing}${status(a.clinicalStatus) ? `Status: ${status(a.clinicalStatus)}. ` : ''}${a.category?.length ? `Kind: ${a.category.join(', ')}.` : ''}</p>
      ${reactions.length ? html`<p>Reactions: ${reactions.join(', ')}</p>` : nothing}
      <p class="meta">Recorded ${formatDate(a.recordedDate ?? a.onsetDateTime)}</p>`;
  }
}

@customElement('mcl-immunizations-page')
export class ImmunizationsPage extends ListPage<Immunization> {
  protected readonly heading = 'Immunizations';
  protected readonly type = 'Immunization';
  protected readonly empty = 'No immunizations in your record.';
  protected item(i: Immunization) {
    return html`<h2>${conceptText(i.vaccineCode)}</h2><p class="meta">${formatDate(i.occurrenceDateTime)}${i.status !== 'completed' ? ` · ${i.status}` : ''}</p>`;
  }
}

@customElement('mcl-conditions-page')
export class ConditionsPage extends ListPage<Condition> {
  protected readonly heading = 'Health problems';
  protected readonly type = 'Condition';
  protected readonly empty = 'No health problems in your record.';
  protected item(c: Condition) {
    const current = status(c.clinicalStatus);
    return html`<h2>${conceptText(c.code)}</h2>
      <p>${current === 'active' ? 'Current' : current === 'resolved' ? 'Resolved' : current ? `Status: ${current}` : ''}</p>
      <p class="meta">Since ${formatDate(c.onsetDateTime ?? c.recordedDate)}${c.abatementDateTime ? `, until ${formatDate(c.abatementDateTime)}` : ''}</p>`;
  }
}

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
    'mcl-allergies-page': AllergiesPage;
    'mcl-immunizations-page': ImmunizationsPage;
    'mcl-conditions-page': ConditionsPage;
    'mcl-procedures-page': ProceduresPage;
  }
}
