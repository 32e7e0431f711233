import { expect } from '@open-wc/testing';
import { telHref } from './tel-href.js';

describe('telHref', () => {
  it('writes telephone links with digits and + only', () => {
    expect(telHref('+1 (507) 555-0100')).to.equal('tel:+15075550100');
    expect(telHref('911')).to.equal('tel:911');
  });
});
