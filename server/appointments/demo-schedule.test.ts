import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from 'fhir/r4';
import { sqliteFactory, type TestStore } from '../testing/stores.js';
import { loadDemoOnce } from '../fhir/demo/load.js';
import { getResource } from '../store/resource-reads.js';
import { openSlots } from './appointments.js';
import { loadDemoScheduleOnce } from './demo-schedule.js';

describe('the demo clinic’s schedules', () => {
  let t: TestStore;
  const now = new Date('2026-11-25T12:00:00Z');
  before(async () => {
    t = await sqliteFactory.open();
    await loadDemoOnce(t.store, now);
    await loadDemoScheduleOnce(t.store, 'America/Chicago', now);
  });
  after(() => t?.cleanup());

  it('give each demo patient’s own clinician (the GP in their record) follow-up times, so the demo shows them first', async () => {
    const { db } = t.store;
    const patients = await db.selectFrom('fhir_resource').select('id').where('resource_type', '=', 'Patient').execute();
    assert.equal(patients.length, 4);
    for (const { id } of patients) {
      const patient = (await getResource(db, 'Patient', id))!.resource as unknown as Patient;
      const gp = patient.generalPractitioner![0]!.reference!;
      const schedule = await db
        .selectFrom('schedule')
        .select(['id', 'name'])
        .where('practitioner_ref', '=', gp)
        .executeTakeFirst();
      assert.ok(schedule, `${id}: a schedule for ${gp}`);
      const times = await openSlots(db, {
        visitTypeId: 'follow-up',
        scheduleId: schedule.id,
        from: now,
        to: new Date(now.getTime() + 21 * 86_400_000),
      });
      assert.ok(times.length > 0, `${schedule.name} has follow-up times`);
      assert.equal(times[0]!.schedule.practitioner, gp);
    }
  });
});
