import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Vault } from '../../record/vault.js';
import { RecordPage } from '../../session/record-page.js';
import { onSharedComputer, SHARED_NOTICE } from '../../session/session-controller.js';
import { formatDate } from '../../record/fhir-display.js';
import { SECTIONS, summarize, type Summary } from '../../record/summary.js';

/**
 * The record at a glance: each part with how many entries it has, new results, and the time of the last sync.
 * A deceased patient's record is introduced with a quiet note, not hidden.
 */
@customElement('mcl-records-page')
export class RecordsPage extends RecordPage {
  protected readonly heading = 'Your health record';
  @state() private summary: Summary | undefined;

  protected async load(vault: Vault, patientId: string) {
    this.summary = await summarize(vault, patientId);
  }

  protected renderBody() {
    const s = this.summary!;
    const deceased = s.patient?.deceasedDateTime ?? (s.patient?.deceasedBoolean ? '' : undefined);
    return html`${
      deceased !== undefined
        ? html`<p class="card">This is the record of a person who has died${deceased ? ` (${formatDate(deceased)})` : ''}. It is kept as it was, with respect.</p>`
        : nothing
    }
      ${s.newResults ? html`<p><a href="/records/results"><span class="new">${s.newResults} new</span> test result${s.newResults === 1 ? '' : 's'}</a></p>` : nothing}
      <p class="app-only"><a href="/records/search">Search your record</a> · <a href="/records/export">Download for another clinic</a></p>
      <ul class="items">
        ${SECTIONS.map((sec) => html`<li><a href=${sec.path}>${sec.title}</a> <span class="meta">(${s.counts[sec.type] ?? 0}${sec.type === 'MedicationRequest' ? `, ${s.activeMedications} current` : ''})</span></li>`)}
      </ul>
      ${
        onSharedComputer()
          ? html`<h2>On this shared computer</h2>
            <p>${SHARED_NOTICE}</p>`
          : html`<h2>Shared or public computer?</h2>
            <p>Your record is kept on this device, encrypted, so it opens without a connection. On a computer others use, remove it when you leave.</p>`
      }
      <button type="button" class="secondary" @click=${() => void this.session?.signOut({ removeData: true })}>Sign out and remove my data${onSharedComputer() ? '' : ' from this device'}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-records-page': RecordsPage;
  }
}
