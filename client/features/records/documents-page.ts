import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Binary, DocumentReference } from 'fhir/r4';
import type { Vault } from '../../record/vault.js';
import { RecordPage, showMore } from '../../session/record-page.js';
import { conceptText, formatDate } from '../../record/fhir-display.js';
import { noteText } from './visits-page.js';
import { downloadFile } from '../../ui/download.js';
import { formStyles } from '../../ui/form-styles.js';

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
};

/** The Binary that holds a document's file, when it is not inline (documents the care team shared in a message). */
export function documentBinaryId(d: DocumentReference): string | undefined {
  return d.content
    ?.find((c) => !c.attachment?.data && c.attachment?.url?.startsWith('Binary/'))
    ?.attachment?.url?.slice('Binary/'.length);
}

/**
 * The file of a document's first attachment, for "Download" (works offline: it is in the local record): inline
 * data, or the Binary it points to, given as `binary`.
 */
export function documentFile(
  d: DocumentReference,
  binary?: Binary,
): { name: string; type: string; bytes: Uint8Array } | undefined {
  const a = d.content?.find((c) => c.attachment?.data || c.attachment?.url?.startsWith('Binary/'))?.attachment;
  const data = a?.data ?? binary?.data;
  if (!a || !data) return undefined;
  const type = a.contentType ?? binary?.contentType ?? 'application/octet-stream';
  const extension = type.startsWith('text/plain')
    ? 'txt'
    : type.startsWith('text/html')
      ? 'html'
      : (EXTENSIONS[type] ?? 'bin');
  const base = (a.title ?? conceptText(d.type, 'document')).replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const name = `${
    base
      .replace(/[^\p{L}\p{N} ._-]+/gu, '')
      .slice(0, 60)
      .trim() || 'document'
  }-${(d.date ?? '').slice(0, 10)}.${extension}`;
  return {
    name,
    type: type.startsWith('text/html') ? 'text/plain' : type,
    bytes: Uint8Array.from(atob(data), (c) => c.charCodeAt(0)),
  };
}

/** Documents: every DocumentReference of the record, readable here when it is text, and downloadable. */
@customElement('mcl-documents-page')
export class DocumentsPage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles];
  protected readonly heading = 'Documents';
  @state() private documents: DocumentReference[] = [];
  @state() private shown = 25;

  @state() private problem: string | undefined;
  private vault: Vault | undefined;
  private patientId = '';

  protected async load(vault: Vault, patientId: string) {
    this.vault = vault;
    this.patientId = patientId;
    this.documents = await vault.list<DocumentReference>(patientId, 'DocumentReference');
  }

  private async download(d: DocumentReference) {
    const binaryId = documentBinaryId(d);
    const file = documentFile(
      d,
      binaryId ? await this.vault!.get<Binary>(this.patientId, 'Binary', binaryId) : undefined,
    );
    this.problem = file
      ? undefined
      : 'This file has not reached this device yet. It will with the next update of your record.';
    if (!file) return;
    // HTML documents are saved as plain text: nothing from a document ever runs in this origin.
    downloadFile(file.name, [file.bytes as BlobPart], file.type);
  }

  protected renderBody() {
    if (!this.documents.length)
      return html`<p>No documents in your record yet. When your care team shares one, it appears here.</p>`;
    return html`${this.problem ? html`<p class="alert" role="alert">${this.problem}</p>` : nothing}<ul class="items">
        ${this.documents.slice(0, this.shown).map((d) => {
          const text = noteText(d);
          const author = d.author?.find((a) => a.display)?.display;
          return html`<li class="card">
            <h2>${conceptText(d.type, 'Document')} <span class="meta">· ${formatDate(d.date)}</span></h2>
            ${author ? html`<p class="meta">From ${author}</p>` : nothing}
            ${text ? html`<details><summary>Read it here</summary><pre class="note">${text}</pre></details>` : nothing}
            ${
              d.content?.some((c) => c.attachment?.data) || documentBinaryId(d)
                ? html`<p><button type="button" class="secondary" @click=${() => this.download(d)} aria-label="Download ${conceptText(d.type, 'document')} of ${formatDate(d.date)}">Download</button></p>`
                : html`<p class="meta">This document is kept elsewhere; ask your care team for a copy.</p>`
            }
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
