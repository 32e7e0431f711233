import { html, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { Vault } from '../../record/vault.js';
import { RecordPage } from '../../session/record-page.js';

/**
 * The base of the simple record lists (allergies, immunizations, health problems, procedures): one kind of record
 * entry, newest first: what it is, when, and its status. Each list is its own element, in its own file.
 */
export abstract class ListPage<T extends { id?: string }> extends RecordPage {
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

/** The code of an entry's status concept (a clinical status: `active`, `resolved`…), if it has one. */
export const statusCode = (cc: { coding?: { code?: string }[] } | undefined) => cc?.coding?.[0]?.code;
