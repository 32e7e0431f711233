import { parseArgs } from 'node:util';
import type { Command } from './cli-command.js';
import { loadConfig } from './config.js';
import { appendAudit } from './audit/log.js';
import {
  addSlots,
  saveSchedule,
  saveVisitType,
  scheduleInput,
  slotPlanInput,
  visitTypeInput,
} from './appointments/scheduling.js';
import { openStore } from './store/store.js';

const USAGE = [
  'schedule visit-type --id ID --name NAME --minutes N [--online] [--instructions TEXT]',
  'schedule add --id ID --kind clinician|department --name NAME --department DEPT --location NAME --address TEXT [--practitioner Practitioner/ID]',
  'schedule slots --schedule ID --visit-type ID --from YYYY-MM-DD --to YYYY-MM-DD --start HH:MM --end HH:MM [--days 1,2,3,4,5]',
  'schedule list',
].join('\n       ');

/**
 * `schedule …`: the clinic's visit types, schedules (clinicians, departments) and bookable times, for
 * administrators working from the server (the same rules as the admin pages). Times are in the clinic's zone.
 */
export const scheduleCommand: Command = {
  summary: 'manage visit types, schedules and bookable times (see `schedule --help`)',
  usage: 'schedule visit-type|add|slots|list …',
  async run(args, io) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        id: { type: 'string' },
        name: { type: 'string' },
        minutes: { type: 'string' },
        online: { type: 'boolean', default: false },
        instructions: { type: 'string' },
        kind: { type: 'string' },
        department: { type: 'string' },
        location: { type: 'string' },
        address: { type: 'string' },
        practitioner: { type: 'string' },
        schedule: { type: 'string' },
        'visit-type': { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        days: { type: 'string' },
      },
    });
    const sub = positionals[0];
    const config = loadConfig(io.env);
    const parse = <T>(
      schema: {
        safeParse(
          v: unknown,
        ):
          | { success: true; data: T }
          | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
      },
      value: unknown,
    ): T | undefined => {
      const r = schema.safeParse(value);
      if (r.success) return r.data;
      io.err(
        `schedule ${sub}: ${r.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}\nusage: ${USAGE}`,
      );
      return undefined;
    };
    let work: ((store: Awaited<ReturnType<typeof openStore>>) => Promise<string>) | undefined;
    if (sub === 'visit-type') {
      const input = parse(visitTypeInput, {
        id: values.id,
        name: values.name,
        minutes: Number(values.minutes),
        bookableOnline: values.online,
        instructions: values.instructions ?? '',
      });
      if (!input) return 2;
      work = async (store) => (
        await saveVisitType(store.db, input, new Date()),
        `visit type ${input.id} saved (${input.minutes} minutes, ${input.bookableOnline ? 'patients may book it online' : 'booked by the clinic'})`
      );
    } else if (sub === 'add') {
      const input = parse(scheduleInput, {
        id: values.id,
        kind: values.kind,
        name: values.name,
        department: values.department,
        locationName: values.location,
        locationAddress: values.address,
        ...(values.practitioner ? { practitionerRef: values.practitioner } : {}),
      });
      if (!input) return 2;
      work = async (store) => (await saveSchedule(store.db, input, new Date()), `schedule ${input.id} saved`);
    } else if (sub === 'slots') {
      const plan = parse(slotPlanInput, {
        visitTypeId: values['visit-type'],
        from: values.from,
        to: values.to,
        start: values.start,
        end: values.end,
        ...(values.days ? { weekdays: values.days.split(',').map(Number) } : {}),
      });
      if (!plan || !values.schedule) {
        if (plan) io.err(`schedule slots: --schedule is needed\nusage: ${USAGE}`);
        return 2;
      }
      work = async (store) => {
        const r = await addSlots(store.db, values.schedule!, plan, config.clinic.timeZone, new Date());
        return `${r.added} times added to ${values.schedule}${r.skipped ? ` (${r.skipped} skipped: they overlap times it already has)` : ''}`;
      };
    } else if (sub === 'list') {
      work = async (store) => {
        const types = await store.db.selectFrom('visit_type').selectAll().orderBy('id').execute();
        const schedules = await store.db.selectFrom('schedule').selectAll().orderBy('id').execute();
        const counts = await store.db
          .selectFrom('slot')
          .select(['schedule_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('start_at', '>', new Date().toISOString())
          .groupBy('schedule_id')
          .execute();
        return [
          'Visit types:',
          ...types.map(
            (t) => `  ${t.id}: ${t.name}, ${t.minutes} min, ${t.bookable_online ? 'online' : 'clinic only'}`,
          ),
          'Schedules:',
          ...schedules.map(
            (s) =>
              `  ${s.id}: ${s.name} (${s.kind}, ${s.department}, ${s.location_name}), ${Number(counts.find((c) => c.schedule_id === s.id)?.n ?? 0)} future times`,
          ),
        ].join('\n');
      };
    } else {
      io.err(`usage: ${USAGE}`);
      return 2;
    }
    const store = await openStore(config.databaseUrl);
    try {
      let line: string;
      try {
        line = await work(store);
      } catch (error) {
        io.err(`schedule ${sub}: ${(error as Error).message}`);
        return 1;
      }
      if (sub !== 'list')
        await appendAudit(
          store.db,
          { actor: 'cli', action: `scheduling.${sub}`, outcome: 'success', detail: line.slice(0, 200) },
          new Date(),
        );
      io.out(line);
      return 0;
    } finally {
      await store.close();
    }
  },
};
