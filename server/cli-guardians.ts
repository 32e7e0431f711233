import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CliIO } from './cli-command.js';
import { loadConfig, type Config } from './config.js';
import { ApiError } from './errors.js';
import { createLogger } from './log.js';
import { createMailer, type Mail } from './notify/mailer.js';
import { openStore, type Store } from './store/store.js';
import { offsetFileClock, systemClock } from './clock.js';
import { CARE_SCOPES, CURRENT_GUARDIAN_ATTESTATION, type CareScope } from '../common/caregiver-consent.js';
import {
  addGuardian,
  ageRulesInWords,
  endGuardian,
  findPatientRecord,
  guardianEndedMails,
  guardianMails,
  guardianRows,
  minorStage,
} from './caregivers/guardians.js';
import { grantState, scopesOf } from './caregivers/grants.js';

const USAGE = [
  'usage: guardian add --patient <MRN|id> --name "Full Name" --email name@example.com --authority-checked [--scopes records,appointments,messages,refills]',
  '       guardian list --patient <MRN|id>',
  '       guardian end --grant <id>',
].join('\n');

/** The operator's store, mailer and clock (the server's: TEST_CLOCK_FILE moves it in tests only). */
async function withTools<T>(
  env: Record<string, string | undefined>,
  work: (tools: { store: Store; config: Config; now: Date; send: (mails: Mail[]) => Promise<void> }) => Promise<T>,
): Promise<T> {
  const config = loadConfig(env);
  const store = await openStore(config.databaseUrl);
  const logger = createLogger(config.logLevel);
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    outbox: join(config.dataDir, 'mail'),
    logger,
  });
  const now = (config.testClockFile ? offsetFileClock(config.testClockFile) : systemClock).now();
  const send = async (mails: Mail[]) => {
    for (const mail of mails) await mailer.send(mail);
  };
  try {
    return await work({ store, config, now, send });
  } finally {
    await store.close();
  }
}

function parseScopes(text: string | undefined): CareScope[] | undefined | 'bad' {
  if (text === undefined) return undefined;
  const words = text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  if (!words.length || words.some((w) => !(CARE_SCOPES as readonly string[]).includes(w))) return 'bad';
  return words as CareScope[];
}

/** A refusal of the guardian rules (unknown patient, not a minor, …) as one line and exit code 1. */
async function refusals(io: CliIO, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError) {
      io.err(`guardian: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

/**
 * `guardian add|list|end`: a minor's parent or guardian, set up by the care team ([3/11]). `add` mails the
 * activation link to the guardian and prints it with its code, to hand over on paper; the code works once, for
 * 7 days. `--authority-checked` says the operator saw proof of the person's legal authority (it is recorded with
 * the grant as the attestation the staff page asks for).
 */
export const guardianCommand: Command = {
  summary: "set up, list or end a parent's or guardian's access to a minor's record (prints the activation code)",
  usage: 'guardian add|list|end …',
  async run(args, io) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        patient: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
        scopes: { type: 'string' },
        grant: { type: 'string' },
        'authority-checked': { type: 'boolean', default: false },
      },
    });
    const action = positionals[0];
    if (action === 'add') {
      const scopes = parseScopes(values.scopes);
      if (
        !values.patient ||
        !values.name?.trim() ||
        !values.email ||
        !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email)
      ) {
        io.err(USAGE);
        return 2;
      }
      if (scopes === 'bad') {
        io.err(`guardian: --scopes takes a comma-separated list of: ${CARE_SCOPES.join(', ')}`);
        return 2;
      }
      if (!values['authority-checked']) {
        io.err(`guardian: add --authority-checked once you have confirmed: "${CURRENT_GUARDIAN_ATTESTATION.careTeam}"`);
        return 2;
      }
      return withTools(io.env, ({ store, config, now, send }) =>
        refusals(io, async () => {
          const setUp = await addGuardian(
            store,
            { patient: values.patient!, name: values.name!, email: values.email!, scopes },
            { actor: 'cli', ip: null, attestation: CURRENT_GUARDIAN_ATTESTATION.version },
            now,
            config,
          );
          await send(await guardianMails({ config }, store.db, setUp));
          const { child } = setUp;
          io.out(
            `Guardian access for ${child.name} (born ${child.birthDate}, ${child.age} y, ${child.mrn ?? child.id}) set up for ${setUp.row.invited_name} <${setUp.row.invited_email}>: may ${scopesOf(setUp.row).join(', ')}.`,
          );
          io.out(`Activation code: ${setUp.code}`);
          io.out(`Activation link: ${setUp.link}`);
          io.out(
            `The link was emailed; the code works once, until ${setUp.expiresAt.slice(0, 10)}. Grant id ${setUp.row.id}.`,
          );
          io.out(ageRulesInWords(child.name.split(' ')[0] ?? child.name, config.clinic));
          return 0;
        }),
      );
    }
    if (action === 'list') {
      if (!values.patient) {
        io.err(USAGE);
        return 2;
      }
      return withTools(io.env, ({ store, config, now }) =>
        refusals(io, async () => {
          const child = await findPatientRecord(store.db, values.patient!);
          if (!child) {
            io.err(`guardian: there is no patient with the id or MRN ${values.patient}`);
            return 1;
          }
          const { age, stage } = minorStage(child.birthDate, now, config.clinic);
          const rows = await guardianRows(store.db, child.id);
          io.out(
            `${child.name} (born ${child.birthDate ?? 'unknown'}, ${age ?? '?'} y, ${stage}): ${rows.length} guardian grant(s)`,
          );
          for (const row of rows)
            io.out(
              `  ${row.id}  ${row.invited_name} <${row.invited_email}>  ${grantState(row, child.birthDate ?? undefined, now, config.clinic)}  ${scopesOf(row).join(',')}  set up ${row.created_at.slice(0, 10)} by ${row.created_by}`,
            );
          return 0;
        }),
      );
    }
    if (action === 'end') {
      if (!values.grant) {
        io.err(USAGE);
        return 2;
      }
      return withTools(io.env, ({ store, config, now, send }) =>
        refusals(io, async () => {
          const row = await endGuardian(store, values.grant!, { actor: 'cli', ip: null }, now);
          await send(await guardianEndedMails({ config }, store.db, row));
          io.out(
            row.accepted_at
              ? `Ended ${row.invited_name}'s guardian access; it stops at their next request.`
              : `Withdrew the activation for ${row.invited_name}; its code no longer works.`,
          );
          return 0;
        }),
      );
    }
    io.err(USAGE);
    return 2;
  },
};
