import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { PDFDocument } from 'pdf-lib';
import { ApiError } from '../errors.js';

/** Largest file a message may carry (the issue: 10 MB each). */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Characters of base64 that carry ATTACHMENT_MAX_BYTES. */
export const ATTACHMENT_MAX_BASE64 = Math.ceil(ATTACHMENT_MAX_BYTES / 3) * 4;

/** What a message may carry, by content: pictures a phone takes or a scanner makes, and PDF documents. */
export const ATTACHMENT_TYPES: Record<string, string> = {
  'application/pdf': 'PDF document',
  'image/jpeg': 'JPEG picture',
  'image/png': 'PNG picture',
  'image/gif': 'GIF picture',
  'image/webp': 'WebP picture',
  'image/heic': 'HEIC picture',
  'image/heif': 'HEIF picture',
};

/** The file extension a saved copy gets, from the type found in its content (never the sender's). */
export const EXTENSION: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
};

export interface CheckedAttachment {
  /** The type found in the content (never the one the name or the sender claims). */
  contentType: string;
  /** The file name, without any folder and without control characters. */
  title: string;
  bytes: Buffer;
  size: number;
  /** SHA-1 of the content, base64 (FHIR Attachment.hash). */
  hash: string;
}

/** A file name as a person would read it: the last path segment, control and bidi characters removed, ≤ 120. */
export function cleanFileName(name: string): string {
  // Lone surrogates (JSON allows them) become U+FFFD, so the name is safe to encode into a header.
  const wellFormed = name.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  const last = wellFormed.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = [...last.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim()].slice(0, 120).join('');
  return clean || 'attachment';
}

/** The name a file is saved under: its name with the extension of the type found in its content. */
export function savedFileName(title: string, contentType: string): string {
  const ext = EXTENSION[contentType];
  return ext ? `${title.replace(/\.[A-Za-z0-9]{1,5}$/, '')}.${ext}` : title;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Checks one attachment sent as base64: it decodes, is not empty, is at most 10 MB, and its content (not its name)
 * is a picture or a PDF; a PDF must also open as one (a file that only starts like a PDF is refused). Every
 * refusal is a 4xx that names the file and says what is wrong.
 */
export async function checkAttachment(name: string, base64: string): Promise<CheckedAttachment> {
  const title = cleanFileName(name);
  if (base64.length > ATTACHMENT_MAX_BASE64)
    throw new ApiError(413, 'attachment_too_large', `“${title}” is larger than 10 MB. Please send a smaller file.`);
  if (base64.length % 4 !== 0 || !BASE64.test(base64))
    throw new ApiError(400, 'attachment_invalid', `“${title}” could not be read (it is not base64-encoded).`);
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw new ApiError(400, 'attachment_empty', `“${title}” is empty.`);
  if (bytes.length > ATTACHMENT_MAX_BYTES)
    throw new ApiError(413, 'attachment_too_large', `“${title}” is larger than 10 MB. Please send a smaller file.`);
  const found = await fileTypeFromBuffer(bytes).catch(() => undefined);
  const namedPdf = /\.pdf$/i.test(title);
  if (!found || !(found.mime in ATTACHMENT_TYPES)) {
    const what = namedPdf
      ? 'is named like a PDF, but its content is not a PDF'
      : found
        ? `is a ${found.ext.toUpperCase()} file`
        : 'is not a picture or a PDF';
    throw new ApiError(
      415,
      'attachment_type',
      `“${title}” ${what}. You can attach pictures (JPEG, PNG, GIF, WebP, HEIC) and PDF documents.`,
    );
  }
  if (namedPdf && found.mime !== 'application/pdf') {
    throw new ApiError(
      415,
      'attachment_type',
      `“${title}” is named like a PDF, but its content is a ${ATTACHMENT_TYPES[found.mime]}. Please attach the real file.`,
    );
  }
  if (found.mime === 'application/pdf' && !(await opensAsPdf(bytes))) {
    throw new ApiError(
      415,
      'attachment_type',
      `“${title}” starts like a PDF but cannot be opened as one. Please attach the real file.`,
    );
  }
  return {
    contentType: found.mime,
    title: savedFileName(title, found.mime),
    bytes,
    size: bytes.length,
    hash: createHash('sha1').update(bytes).digest('base64'),
  };
}

async function opensAsPdf(bytes: Buffer): Promise<boolean> {
  try {
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    return doc.getPageCount() >= 1;
  } catch {
    return false;
  }
}
