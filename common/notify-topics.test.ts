import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_NOTIFY, readNotifyPrefs } from './notify-topics.js';

describe('notification choices', () => {
  it('fills in every topic, keeping what was chosen', () => {
    assert.deepEqual(readNotifyPrefs(null), DEFAULT_NOTIFY);
    assert.deepEqual(readNotifyPrefs('{"newMessage":{"email":false,"text":true}}'), {
      ...DEFAULT_NOTIFY,
      newMessage: { email: false, text: true },
    });
  });

  it('reads damaged or odd stored values as the defaults, never throws', () => {
    assert.deepEqual(readNotifyPrefs('not json'), DEFAULT_NOTIFY);
    assert.deepEqual(readNotifyPrefs('{"newResult":{"email":"yes"}}'), DEFAULT_NOTIFY);
  });
});
