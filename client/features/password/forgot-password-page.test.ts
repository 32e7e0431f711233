import { expectLabelledFields } from '../../ui/expect-labelled.js';
import './forgot-password-page.js';

describe('password pages', () => {
  it('mcl-forgot-password-page labels every field and passes axe', () =>
    expectLabelledFields('mcl-forgot-password-page'));
});
