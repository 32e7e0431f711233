import { expect } from '@open-wc/testing';
import { AUDIT_ACTIONS } from '../../../common/audit-actions.js';
import { describeAction } from './activity-words.js';

describe('activity in words', () => {
  it('says every action the server can log as a sentence, never as its event name', () => {
    for (const action of AUDIT_ACTIONS) {
      const words = describeAction(action);
      expect(words, action).to.match(/^[A-Z]/);
      expect(words, action).not.to.include(action);
      expect(words, action).not.to.match(/[a-z]\.[a-z]/);
    }
  });

  it('keeps the sentences people already know', () => {
    expect(describeAction('session.timeout')).to.equal('Signed out after inactivity');
    expect(describeAction('record.download')).not.to.equal('record download');
    expect(describeAction('signup.requested')).not.to.equal('signup requested');
  });

  it('an action from a newer server is still a sentence, naming the action for the help desk', () => {
    expect(describeAction('something.new-here')).to.equal(
      'Something else happened on your account (something.new-here)',
    );
  });
});
