import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { DocumentReference, Encounter } from 'fhir/r4';
import type { Vault } from '../../record/vault.js';
import { RecordPage, showMore } from '../../session/record-page.js';
import { attachmentText, conceptText, formatDate, refId } from '../../record/fhir-display.js';

/** The notes of each visit: clinical-note DocumentReferences whose context points at the encounter. */
export function notesByEncounter(documents: DocumentReference[]): Map<string, DocumentReference[]> {
  const map = new Map<string, DocumentReference[]>();
  for (const d of documents) {
    for (const ref of d.context?.encounter ?? []) {
      const id = refId(ref);
      if (id) map.set(id, [...(map.get(id) ?? []), d]);
    }
  }
  return map;
}

/** The text of a note (its first attachment with inline data), decoded; rendered as text, never as HTML. */
export function noteText(d: DocumentReference): string {
  const attachment = d.content?.find((c) => c.attachment?.data)?.attachment;
  return attachment?.data && (!attachment.contentType || attachment.contentType.startsWith('text/'))
    ? attachmentText(attachment.data)
    : '';
}

/** Visits: date, kind, clinician, place, reason, and the visit's notes. */
@customElement('mcl-visits-page')
export class VisitsPage extends RecordPage {
  protected readonly heading = 'Visits';
  @state() private visits: Encounter[] = [];
  @state() private notes = new Map<string, DocumentReference[]>();
  @state() private shown = 25;

  protected async load(vault: Vault, patientId: string) {
    this.visits = await vault.list<Encounter>(patientId, 'Encounter');
    this.notes = notesByEncounter(await vault.list<DocumentReference>(patientId, 'DocumentReference'));
  }

  protected renderBody() {
    if (!this.visits.length) return html`<p>No visits in your record yet.</p>`;
    return html`<ul class="items">
        ${this.visits.slice(0, this.shown).map((v) => {
          const clinician = v.participant?.find((p) => p.individual?.display)?.individual?.display;
          const place = v.location?.[0]?.location?.display ?? v.serviceProvider?.display;
          const notes = this.notes.get(v.id!) ?? [];
          return html`<li class="card">
            <h2>${conceptText(v.type?.[0], 'Visit')} <span class="meta">· ${formatDate(v.period?.start, true)}</span></h2>
            <p>${clinician ? html`With ${clinician}` : nothing}${clinician && place ? ', ' : ''}${place ? html`at ${place}` : nothing}</p>
            ${v.reasonCode?.length ? html`<p>Reason: ${v.reasonCode.map((r) => conceptText(r)).join(', ')}</p>` : nothing}
            ${notes.map(
              (d) => html`<details>
                <summary>Visit note${d.type ? `: ${conceptText(d.type)}` : ''}</summary>
                <pre class="note">${noteText(d) || 'This note has no text to show.'}</pre>
              </details>`,
            )}
          </li>`;
        })}
      </ul>
      ${showMore(this.visits.length, this.shown, 'visits', () => (this.shown += 25))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-visits-page': VisitsPage;
  }
}
