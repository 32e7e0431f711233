import { expect, fixture, html } from '@open-wc/testing';
import { MAX_FILE_BYTES } from './composer.js';
import type { AttachmentPicker } from './attachment-picker.js';
import './attachment-picker.js';

describe('mcl-attachment-picker', () => {
  it('attachments: more than 10 MB is refused at once, a picture is read as base64', async () => {
    const picker = await fixture<AttachmentPicker>(html`<mcl-attachment-picker></mcl-attachment-picker>`);
    const input = picker.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
    const choose = async (...files: File[]) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(f);
      input.files = dt.files;
      input.dispatchEvent(new Event('change'));
      for (let i = 0; i < 50; i++) await new Promise((r) => setTimeout(r, 10));
      await picker.updateComplete;
    };
    await choose(new File([new Uint8Array(MAX_FILE_BYTES + 1)], 'huge.pdf', { type: 'application/pdf' }));
    expect(picker.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain(
      '“huge.pdf” is 10.0 MB: files may be at most 10 MB.',
    );
    await choose(new File([new Uint8Array([137, 80, 78, 71])], 'photo.png', { type: 'image/png' }));
    expect(picker.files).to.have.length(1);
    expect(picker.files[0]!.data).to.equal(btoa(String.fromCharCode(137, 80, 78, 71)));
    await expect(picker).to.be.accessible();
  });
});
