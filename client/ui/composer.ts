import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formStyles } from './form-styles.js';
import { pageStyles } from './shared-styles.js';

/** A file's size for people: "2.5 MB", "12 KB" (attachments picked here, and files received). */
export function fileSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 3;
export const MAX_MESSAGE_CHARS = 10_000;

export interface PickedFile {
  name: string;
  size: number;
  /** The content, base64 (what the API takes). */
  data: string;
}

/** Reads a file as base64 (FileReader keeps a 10 MB file off the main thread's string building). */
export function readAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

export const composerStyles = css`
  .notice { border: 2px solid #8a1c1c; border-radius: 6px; padding: 0.5rem 0.75rem; margin: 0.75rem 0; background: #fff6f6; }
  .notice p { margin: 0.25rem 0; }
  textarea { width: 100%; box-sizing: border-box; min-height: 9rem; font: inherit; padding: 0.5rem 0.6rem; border: 2px solid #5c6b73; border-radius: 6px; }
  textarea:focus-visible { outline: 3px solid var(--mcl-focus, #b3540b); outline-offset: 1px; }
  .files { list-style: none; padding: 0; }
  .files li { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
`;

/**
 * Choosing up to three pictures or PDFs of at most 10 MB each. The portal checks each file's content again (the
 * name and the browser's guess are not trusted); here the person gets the size and count rules at once.
 */
@customElement('mcl-attachment-picker')
export class AttachmentPicker extends LitElement {
  static override styles = [pageStyles, formStyles, composerStyles];
  @property({ type: String }) label = 'Attach pictures or PDF documents (optional)';
  @property({ type: Number }) max = MAX_FILES;
  @state() files: PickedFile[] = [];
  @state() private problem: string | undefined;

  clear() {
    this.files = [];
    this.problem = undefined;
  }

  private async pick(event: Event) {
    const input = event.target as HTMLInputElement;
    const chosen = [...(input.files ?? [])];
    input.value = '';
    this.problem = undefined;
    const problems: string[] = [];
    const next = [...this.files];
    for (const file of chosen) {
      if (next.length >= this.max) {
        problems.push(
          `At most ${this.max} file${this.max === 1 ? '' : 's'} per message: “${file.name}” was not added.`,
        );
        continue;
      }
      if (file.size > MAX_FILE_BYTES) {
        problems.push(`“${file.name}” is ${fileSize(file.size)}: files may be at most 10 MB.`);
        continue;
      }
      if (file.size === 0) {
        problems.push(`“${file.name}” is empty.`);
        continue;
      }
      next.push({ name: file.name, size: file.size, data: await readAsBase64(file) });
    }
    this.files = next;
    if (problems.length) this.problem = problems.join(' ');
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }

  private drop(index: number) {
    this.files = this.files.filter((_, i) => i !== index);
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }

  override render() {
    return html`<div class="field">
        <label for="files">${this.label}</label>
        <input id="files" type="file" accept="image/jpeg,image/png,image/gif,image/webp,image/heic,application/pdf" ?multiple=${this.max > 1} @change=${this.pick} aria-describedby="files-hint" />
        <p id="files-hint" class="hint">Pictures (JPEG, PNG, GIF, WebP, HEIC) or PDF, up to 10 MB each${this.max > 1 ? `, ${this.max} at most` : ''}.</p>
      </div>
      ${this.problem ? html`<p class="alert" role="alert">${this.problem}</p>` : nothing}
      ${
        this.files.length
          ? html`<ul class="files" aria-label="Attached files">
            ${this.files.map((f, i) => html`<li>${f.name} (${fileSize(f.size)}) <button type="button" class="secondary" @click=${() => this.drop(i)} aria-label="Remove ${f.name}">Remove</button></li>`)}
          </ul>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-attachment-picker': AttachmentPicker;
  }
}
