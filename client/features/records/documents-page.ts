import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { DocumentReference } from 'fhir/r4';
import type { Vault } from '../../data/vault.js';
import { RecordPage, showMore } from './record-page.js';
import { conceptText, formatDate } from './fhir-display.js';
import { noteText } from './visits-page.js';
import { downloadFile } from '../../ui/download.js';

/** The file of a document's first inline attachment, for "Download" (works offline: it is in the local record). */
export function documentFile(d: DocumentReference): { name: string; type: string; bytes: Uint8Array } | undefined {
  const a = d.content?.find((c) => c.attachment?.data)?.attachment;
  if (!a?.data) return undefined;
  const type = a.contentType ?? 'application/octet-stream';
  const extension = type.startsWith('text/plain') ? 'txt' : type === 'application/pdf' ? 'pdf' : type.startsWith('text/html') ? 'html' : 'bin';
  const name = `${(a.title ?? conceptText(d.type, 'document')).replace(/[^\p{L}\p{N} ._-]+/gu, '').slice(0, 60).trim() || 'document'}-${(d.date ?? '').slice(0, 10)}.${extension}`;
  return { name, type: type.startsWith('text/html') ? 'text/plain' : type, bytes: Uint8Array.from(atob(a.data), (c) => c.charCodeAt(0)) };
}

/** Documents: every DocumentReference of the record, readable here when it is text, and downloadable. */
@customElement('mcl-documents-page')
export class DocumentsPage extends RecordPage {
  protected readonly heading = 'Documents';
  @state() private documents: DocumentReference[] = [];
  @state() private shown = 25;

  protected async load(vault: Vault, patientId: string) {
    this.documents = await vault.list<DocumentReference>(patientId, 'DocumentReference');
  }

  private download(d: DocumentReference) {
    const file = documentFile(d);
    if (!file) return;
    // HTML documents are saved as plain text: nothing from a document ever runs in this origin.
    downloadFile(file.name, [file.bytes as BlobPart], file.type);
  }

  protected renderBody() {
    if (!this.documents.length) return html`<p>No documents in your record yet. When your care team shares one, it appears here.</p>`;
    return html`<ul class="items">
        ${this.documents.slice(0, this.shown).map((d) => {
          const text = noteText(d);
          const author = d.author?.find((a) => a.display)?.display;
          return html`<li class="card">
            <h2>${conceptText(d.type, 'Document')} <span class="meta">· ${formatDate(d.date)}</span></h2>
            ${author ? html`<p class="meta">From ${author}</p>` : nothing}
            ${text ? html`<details><summary>Read it here</summary><pre class="note">${text}</pre></details>` : nothing}
            ${documentFile(d)
              ? html`<p><button type="button" class="secondary" @click=${() => this.download(d)} aria-label="Download ${conceptText(d.type, 'document')} of ${formatDate(d.date)}">Download</button></p>`
              : html`<p class="meta">This document is kept elsewhere; ask your care team for a copy.</p>`}
          </li>`;
        })}
      </ul>
      ${showMore(this.documents.length, this.shown, 'documents', () => (this.shown += 25))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-documents-page': DocumentsPage;
  }
}
