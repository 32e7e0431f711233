import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, weekday, zonedDate, zonedTimeToUtc } from './clinic-time.js';

describe('clinic wall-clock time to instants', () => {
  it('turns 9:00 in Chicago into 15:00 UTC in winter and 14:00 UTC in summer', () => {
    assert.equal(zonedTimeToUtc('2026-12-01', '09:00', 'America/Chicago').toISOString(), '2026-12-01T15:00:00.000Z');
    assert.equal(zonedTimeToUtc('2026-07-01', '09:00', 'America/Chicago').toISOString(), '2026-07-01T14:00:00.000Z');
    assert.equal(zonedTimeToUtc('2026-07-01', '09:00', 'Asia/Kolkata').toISOString(), '2026-07-01T03:30:00.000Z');
  });

  it('settles across daylight-saving changes, and a missing wall time lands after the jump', () => {
    // 2026-03-08: Chicago springs forward at 02:00 → 03:00; 2026-11-01: falls back at 02:00 → 01:00.
    assert.equal(zonedTimeToUtc('2026-03-08', '09:00', 'America/Chicago').toISOString(), '2026-03-08T14:00:00.000Z');
    assert.equal(zonedTimeToUtc('2026-11-01', '09:00', 'America/Chicago').toISOString(), '2026-11-01T15:00:00.000Z');
    const missing = zonedTimeToUtc('2026-03-08', '02:30', 'America/Chicago');
    assert.ok(
      missing.getTime() >= Date.parse('2026-03-08T07:30:00Z') &&
        missing.getTime() <= Date.parse('2026-03-08T08:30:00Z'),
      missing.toISOString(),
    );
  });

  it('gives the local calendar date, adds days and names weekdays', () => {
    assert.equal(zonedDate(new Date('2026-11-26T03:00:00Z'), 'America/Chicago'), '2026-11-25');
    assert.equal(addDays('2026-12-30', 3), '2027-01-02');
    assert.equal(weekday('2026-11-25'), 3);
  });
});
