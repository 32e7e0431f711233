import { expectLabelledFields } from '../../ui/expect-labelled.js';
import './sign-in-page.js';

describe('sign-in page', () => {
  it('mcl-sign-in-page labels every field and passes axe', () => expectLabelledFields('mcl-sign-in-page'));
});
