import { css } from 'lit';

/*
 * What the message composers share (the patient's new message and reply, the staff inbox's reply): the limits the
 * portal enforces, file sizes in words, reading a file for the API, and the styles. The file picker itself is
 * <mcl-attachment-picker> (attachment-picker.ts).
 */

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
