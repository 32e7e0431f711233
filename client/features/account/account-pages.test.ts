import { expect } from '@open-wc/testing';
import { deviceName } from './security-page.js';
import { describeAction } from '../../../common/audit-words.js';

describe('account pages', () => {
  it('names devices for people', () => {
    expect(
      deviceName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36'),
    ).to.equal('Chrome on Linux');
    expect(
      deviceName(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).to.equal('Safari on iPhone or iPad');
    expect(deviceName(null)).to.equal('Unknown device');
    expect(describeAction('session.timeout')).to.equal('Signed out after inactivity');
    // [2/11]: an unknown action is a sentence too (it was shown as its bare name, "something new here").
    expect(describeAction('something.new-here')).to.equal(
      'Something else happened on your account (something.new-here)',
    );
  });
});
