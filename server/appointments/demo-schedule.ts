import { getMeta, setMeta } from '../store/meta.js';
import type { Store } from '../store/store.js';
import { addDays, zonedDate } from './clinic-time.js';
import { addSlots, saveSchedule, saveVisitType } from './scheduling.js';
import { CLINICIANS } from '../fhir/demo/patients.js';

export const DEMO_SCHEDULE_KEY = 'demo-schedule';

/**
 * The demo clinic's schedules, once per database (recorded in app_meta): three visit types (one the clinic books
 * itself), a clinician, the primary care team and cardiology, with three weeks of open times from tomorrow; and
 * afternoons of the demo patients' own doctors (their Practitioner in the record), whose times their patients see first.
 */
export async function loadDemoScheduleOnce(store: Store, zone: string, now: Date): Promise<boolean> {
  if ((await getMeta(store.db, DEMO_SCHEDULE_KEY)) !== undefined) return false;
  if (await store.db.selectFrom('visit_type').select('id').executeTakeFirst()) {
    await setMeta(store.db, DEMO_SCHEDULE_KEY, 'skipped: schedules already exist', now);
    return false;
  }
  await saveVisitType(
    store.db,
    {
      id: 'follow-up',
      name: 'Follow-up visit',
      minutes: 20,
      bookableOnline: true,
      instructions: 'Bring your medicines, or a list of them.',
    },
    now,
  );
  await saveVisitType(
    store.db,
    {
      id: 'annual-physical',
      name: 'Annual physical',
      minutes: 40,
      bookableOnline: true,
      instructions: 'Arrive 15 minutes early, fasting (water is fine) for blood tests.',
    },
    now,
  );
  await saveVisitType(
    store.db,
    {
      id: 'minor-procedure',
      name: 'Minor procedure',
      minutes: 60,
      bookableOnline: false,
      instructions: 'The clinic will call you with instructions.',
    },
    now,
  );
  const main = { locationName: 'Main Street Clinic', locationAddress: '100 Main Street, Rochester, MN 55901' };
  await saveSchedule(
    store.db,
    { id: 'dr-ana-lee', kind: 'clinician', name: 'Dr. Ana Lee', department: 'Primary care', ...main },
    now,
  );
  await saveSchedule(
    store.db,
    { id: 'primary-care', kind: 'department', name: 'Primary care team', department: 'Primary care', ...main },
    now,
  );
  await saveSchedule(
    store.db,
    {
      id: 'cardiology',
      kind: 'department',
      name: 'Cardiology',
      department: 'Cardiology',
      locationName: 'Heart Center, 2nd floor',
      locationAddress: '200 First Avenue SW, Rochester, MN 55902',
    },
    now,
  );
  for (const doctor of [CLINICIANS.park, CLINICIANS.reyes, CLINICIANS.liu])
    await saveSchedule(
      store.db,
      {
        id: doctor.id.replace(/^demo-/, ''),
        kind: 'clinician',
        name:
          [doctor.prefix, doctor.given, doctor.family].filter(Boolean).join(' ') +
          (doctor.prefix ? '' : `, ${doctor.suffix}`),
        practitionerRef: `Practitioner/${doctor.id}`,
        department: 'Primary care',
        ...main,
      },
      now,
    );
  const from = addDays(zonedDate(now, zone), 1);
  const to = addDays(from, 20);
  await addSlots(
    store.db,
    'dr-ana-lee',
    { visitTypeId: 'follow-up', from, to, weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '12:00' },
    zone,
    now,
  );
  await addSlots(
    store.db,
    'primary-care',
    { visitTypeId: 'annual-physical', from, to, weekdays: [1, 2, 3, 4, 5], start: '13:00', end: '16:20' },
    zone,
    now,
  );
  for (const [doctor, weekdays] of [
    [CLINICIANS.park, [1, 3, 5]],
    [CLINICIANS.reyes, [2, 4]],
    [CLINICIANS.liu, [2, 4]],
  ] as const)
    await addSlots(
      store.db,
      doctor.id.replace(/^demo-/, ''),
      { visitTypeId: 'follow-up', from, to, weekdays: [...weekdays], start: '14:00', end: '16:00' },
      zone,
      now,
    );
  await addSlots(
    store.db,
    'cardiology',
    { visitTypeId: 'follow-up', from, to, weekdays: [2, 4], start: '09:00', end: '12:00' },
    zone,
    now,
  );
  await addSlots(
    store.db,
    'cardiology',
    { visitTypeId: 'minor-procedure', from, to, weekdays: [3], start: '13:00', end: '15:00' },
    zone,
    now,
  );
  await setMeta(store.db, DEMO_SCHEDULE_KEY, `loaded ${now.toISOString()}`, now);
  return true;
}
