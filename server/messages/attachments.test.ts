import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import { EXE_HEADER, PNG_1PX, samplePdf } from '../testing/files.js';
import { ATTACHMENT_MAX_BYTES, checkAttachment, cleanFileName } from './attachments.js';

const refusal = async (name: string, data: string) => {
  try {
    await checkAttachment(name, data);
  } catch (error) {
    assert.ok(error instanceof ApiError, String(error));
    return { status: error.status, code: error.code, message: error.message };
  }
  assert.fail(`${name} was accepted`);
};

describe('message attachments: type by content, ≤ 10 MB, a PDF must open', () => {
  it('accepts a real PDF and a real PNG, with the type found in the content and a SHA-1 hash', async () => {
    const pdf = await samplePdf('Blood pressure diary');
    const checked = await checkAttachment('diary.pdf', pdf.toString('base64'));
    assert.equal(checked.contentType, 'application/pdf');
    assert.equal(checked.size, pdf.length);
    assert.match(checked.hash, /^[A-Za-z0-9+/]{27}=$/);
    // The name does not decide the type: a PNG called "photo" is still a PNG.
    const png = await checkAttachment('photo', PNG_1PX.toString('base64'));
    assert.equal(png.contentType, 'image/png');
    // The saved name carries the extension of the content: a PNG named x.html is saved as x.png.
    assert.equal(png.title, 'photo.png');
    assert.equal((await checkAttachment('page.html', PNG_1PX.toString('base64'))).title, 'page.png');
  });

  it('refuses a file named .pdf that is not one, a file that only starts like a PDF, and an executable (415)', async () => {
    const fake = await refusal('results.pdf', Buffer.from('Just some text pretending').toString('base64'));
    assert.equal(fake.status, 415);
    assert.match(fake.message, /named like a PDF, but its content is not a PDF/);
    const png = await refusal('scan.pdf', PNG_1PX.toString('base64'));
    assert.match(png.message, /content is a PNG picture/);
    const header = await refusal('letter.pdf', Buffer.from('%PDF-1.7\nnot really a PDF\n').toString('base64'));
    assert.match(header.message, /cannot be opened as one/);
    const exe = await refusal('setup.exe', EXE_HEADER.toString('base64'));
    assert.equal(exe.status, 415);
    assert.match(exe.message, /is a EXE file/);
    assert.equal((await refusal('notes.txt', Buffer.from('hello').toString('base64'))).code, 'attachment_type');
  });

  it('refuses empty, oversized and undecodable files with the file named', async () => {
    assert.equal((await refusal('empty.pdf', '')).code, 'attachment_empty');
    const big = Buffer.alloc(ATTACHMENT_MAX_BYTES + 1);
    const tooBig = await refusal('huge.pdf', big.toString('base64'));
    assert.equal(tooBig.status, 413);
    assert.match(tooBig.message, /“huge.pdf” is larger than 10 MB/);
    assert.equal((await refusal('x.pdf', 'not base64!!')).code, 'attachment_invalid');
  });

  it('keeps only the last path segment of a name, without control or direction-changing characters', () => {
    assert.equal(cleanFileName('C:\\Users\\me\\scan.pdf'), 'scan.pdf');
    assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
    assert.equal(cleanFileName('invoice\u202Efdp.exe'), 'invoicefdp.exe');
    assert.equal(cleanFileName('\u0000\u0001'), 'attachment');
    // A name cut inside an emoji, or a lone surrogate, is still a well-formed string (it goes into headers).
    assert.doesNotThrow(() => encodeURIComponent(cleanFileName('\ud800' + '😀'.repeat(130))));
    assert.equal([...cleanFileName('😀'.repeat(130))].length, 120);
  });
});
