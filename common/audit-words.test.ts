import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIT_ACTIONS } from './audit-actions.js';
import { describeAction } from './audit-words.js';

describe('activity in words', () => {
  it('says every action the server can log as a sentence, never as its event name', () => {
    for (const action of AUDIT_ACTIONS) {
      const words = describeAction(action);
      assert.match(words, /^[A-Z]/, action);
      assert.ok(!words.includes(action), action);
      assert.doesNotMatch(words, /[a-z]\.[a-z]/, action);
    }
  });

  it('keeps the sentences people already know', () => {
    assert.equal(describeAction('session.timeout'), 'Signed out after inactivity');
    assert.notEqual(describeAction('record.download'), 'record download');
    assert.notEqual(describeAction('signup.requested'), 'signup requested');
  });

  it('an action from a newer server is still a sentence, naming the action for the help desk', () => {
    assert.equal(describeAction('something.new-here'), 'Something else happened on your account (something.new-here)');
  });
});
