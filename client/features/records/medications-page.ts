import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { MedicationRequest } from 'fhir/r4';
import type { Vault } from '../../record/vault.js';
import { isRenewal } from '../../record/refills.js';
import { RecordPage } from '../../session/record-page.js';
import { dosageText, formatDate, isActiveMedication, medicationName, refillsText } from '../../record/fhir-display.js';

/**
 * Medications: what to take now, with dosage in plain words, prescriber, dates and refills; then past ones. Each
 * current prescription links to Refills (`/refills?for=<id>`), where a refill (or a renewal, when none are left)
 * is asked for and followed.
 */
@customElement('mcl-medications-page')
export class MedicationsPage extends RecordPage {
  protected readonly heading = 'Medications';
  @state() private meds: MedicationRequest[] = [];

  protected async load(vault: Vault, patientId: string) {
    this.meds = await vault.list<MedicationRequest>(patientId, 'MedicationRequest');
  }

  private refill(m: MedicationRequest) {
    const ask = isRenewal(m) ? 'Request renewal' : 'Request refill';
    return html`<p class="app-only"><a href="/refills?for=${encodeURIComponent(m.id!)}" aria-label="${ask}: ${medicationName(m)}">${ask}</a></p>`;
  }

  private item(m: MedicationRequest) {
    return html`<li class="card">
      <h3>${medicationName(m)}</h3>
      <p>${dosageText(m.dosageInstruction?.[0])}</p>
      <p class="meta">
        Prescribed ${formatDate(m.authoredOn)}${m.requester?.display ? html` by ${m.requester.display}` : nothing}.
        ${isActiveMedication(m) ? refillsText(m) : html`Status: ${m.status}.`}
      </p>
      ${m.status === 'active' ? this.refill(m) : nothing}
    </li>`;
  }

  protected renderBody() {
    const active = this.meds.filter(isActiveMedication);
    const past = this.meds.filter((m) => !isActiveMedication(m));
    return html`<h2>Taking now (${active.length})</h2>
      ${active.length ? html`<ul class="items">${active.map((m) => this.item(m))}</ul>` : html`<p>No current medications in your record.</p>`}
      <h2>Past medications (${past.length})</h2>
      ${past.length ? html`<ul class="items">${past.map((m) => this.item(m))}</ul>` : html`<p>None.</p>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-medications-page': MedicationsPage;
  }
}
