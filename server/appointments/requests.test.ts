import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requestDaysProblem, requestInput, requestResource } from './requests.js';

describe('appointment requests', () => {
  it('accepts days from today up to the horizon, and the past only while some day is left', () => {
    assert.equal(requestDaysProblem({ earliest: '2026-12-01', latest: '2026-12-10' }, '2026-11-25'), undefined);
    assert.equal(
      requestDaysProblem({ earliest: '2026-11-20', latest: '2026-11-30' }, '2026-11-25'),
      undefined,
      'written offline: some days are left',
    );
    assert.match(requestDaysProblem({ earliest: '2026-11-10', latest: '2026-11-24' }, '2026-11-25')!, /passed/);
    assert.match(
      requestDaysProblem({ earliest: '2026-12-10', latest: '2026-12-01' }, '2026-11-25')!,
      /before the earliest/,
    );
    assert.match(requestDaysProblem({ earliest: '2027-06-01', latest: '2027-06-10' }, '2026-11-25')!, /180 days/);
    assert.match(
      requestDaysProblem({ earliest: '2026-12-01', latest: '9999-12-31' }, '2026-11-25')!,
      /180 days/,
      'a far latest day too',
    );
  });

  it('refuses unknown fields, empty reasons and malformed days with a sentence', () => {
    const ok = {
      patientId: 'p1',
      reason: 'Knee pain',
      earliest: '2026-12-01',
      latest: '2026-12-10',
      timeOfDay: 'morning',
    };
    assert.ok(requestInput.safeParse(ok).success);
    assert.equal(
      requestInput.safeParse({ ...ok, reason: '   ' }).error?.issues[0]?.message,
      'Say what the visit is for.',
    );
    assert.match(requestInput.safeParse({ ...ok, earliest: '1 Dec' }).error!.issues[0]!.message, /Earliest day/);
    assert.equal(requestInput.safeParse({ ...ok, slotId: 'x' }).success, false);
  });

  it('is a proposed FHIR Appointment with the days asked for and no time', () => {
    const a = requestResource({
      id: 'a1',
      request: {
        patientId: 'p1',
        reason: 'Knee pain',
        earliest: '2026-12-01',
        latest: '2026-12-10',
        timeOfDay: 'afternoon',
      },
      patientName: 'Reyna',
      created: '2026-11-25T10:00:00Z',
    });
    assert.equal(a.status, 'proposed');
    assert.equal(a.start, undefined);
    assert.deepEqual(a.requestedPeriod, [{ start: '2026-12-01', end: '2026-12-10' }]);
    assert.equal(a.comment, 'Preferred: afternoons');
    assert.equal(a.participant[0]!.actor!.reference, 'Patient/p1');
  });
});
