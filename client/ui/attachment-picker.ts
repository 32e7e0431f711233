import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formStyles } from './form-styles.js';
import { pageStyles } from './shared-styles.js';
import { composerStyles, fileSize, MAX_FILE_BYTES, MAX_FILES, readAsBase64, type PickedFile } from './composer.js';

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
