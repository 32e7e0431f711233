import { expect } from '@open-wc/testing';
import { tokenFromHash } from './token-from-hash.js';

describe('tokenFromHash', () => {
  it('reads link tokens from the fragment only when well formed', () => {
    expect(tokenFromHash('#token=abcdefghijklmnopqrstuvwxyz_-0123')).to.equal('abcdefghijklmnopqrstuvwxyz_-0123');
    expect(tokenFromHash('#token=short')).to.equal(undefined);
    // A guardian's activation code, as printed for the care team to hand over, also comes as a link.
    expect(tokenFromHash('#token=GT0S-W3PK-C839-5AD3')).to.equal('GT0S-W3PK-C839-5AD3');
    expect(tokenFromHash('#token=<script>alert(1)</script>xxxxxxxxxx')).to.equal(undefined);
    expect(tokenFromHash('')).to.equal(undefined);
  });
});
