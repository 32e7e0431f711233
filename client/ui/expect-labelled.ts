import { expect, fixture } from '@open-wc/testing';

/** For element tests: mounts `<tag>`, checks that every field it shows has its label, and that axe passes. */
export async function expectLabelledFields(tag: string): Promise<void> {
  const el = await fixture(`<${tag}></${tag}>`);
  for (const input of el.shadowRoot!.querySelectorAll('input:not([type="radio"]):not([type="checkbox"])')) {
    expect(el.shadowRoot!.querySelector(`label[for="${input.id}"]`), `label for #${input.id}`).to.exist;
  }
  await expect(el).to.be.accessible();
}
