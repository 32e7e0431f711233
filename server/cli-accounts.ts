import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Patient } from 'fhir/r4';
import type { Command } from './cli-command.js';
import { loadConfig } from './config.js';
import { appendAudit, verifyAuditLog } from './audit/log.js';
import { createAccount } from './auth/accounts.js';
import { newActivationCode, normalizeActivationCode } from './auth/activation-code.js';
import { hashToken, newToken } from './auth/tokens.js';
import { createLogger } from './log.js';
import { createMailer } from './notify/mailer.js';
import { getResource } from './store/resource-reads.js';
import { openStore, withTransaction, type Store } from './store/store.js';

const DAY = 86_400_000;

async function withStore<T>(
  env: Record<string, string | undefined>,
  work: (store: Store, config: ReturnType<typeof loadConfig>) => Promise<T>,
): Promise<T> {
  const config = loadConfig(env);
  const store = await openStore(config.databaseUrl);
  try {
    return await work(store, config);
  } finally {
    await store.close();
  }
}

/** `activation-code <patient-id> [--days 30]`: a single-use code for the patient to sign up with (stored hashed). */
export const activationCodeCommand: Command = {
  summary: 'print a single-use sign-up code for a patient record (valid 30 days unless --days)',
  usage: 'activation-code <patient-id> [--days N]',
  async run(args, io) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { days: { type: 'string', default: '30' } },
    });
    const patientId = positionals[0];
    const days = Number(values.days);
    if (!patientId || !Number.isInteger(days) || days < 1 || days > 90) {
      io.err('usage: activation-code <patient-id> [--days N]   (N from 1 to 90)');
      return 2;
    }
    return withStore(io.env, async (store) => {
      const patient = (await getResource(store.db, 'Patient', patientId))?.resource as Patient | undefined;
      if (!patient) {
        io.err(`activation-code: there is no patient with id ${patientId}`);
        return 1;
      }
      const now = new Date();
      const code = newActivationCode();
      await withTransaction(store, async (trx) => {
        await trx
          .insertInto('one_time_token')
          .values({
            hash: hashToken(normalizeActivationCode(code)),
            purpose: 'activation',
            account_id: null,
            patient_id: patientId,
            created_at: now.toISOString(),
            expires_at: new Date(now.getTime() + days * DAY).toISOString(),
            used_at: null,
            payload: null,
          })
          .execute();
        await appendAudit(
          trx,
          {
            actor: 'cli',
            onBehalfOf: patientId,
            action: 'activation-code.issued',
            outcome: 'success',
            detail: `valid ${days} days`,
          },
          now,
        );
      });
      const name = patient.name?.[0];
      io.out(
        `Activation code for ${[name?.given?.join(' '), name?.family].filter(Boolean).join(' ') || patientId} (born ${patient.birthDate ?? 'unknown'}):`,
      );
      io.out(code);
      io.out(
        `Valid until ${new Date(now.getTime() + days * DAY).toISOString().slice(0, 10)}, once. The patient also needs their date of birth.`,
      );
      return 0;
    });
  },
};

/** `staff create --email … --name … --role …`: a staff account, finished by the person through an emailed link. */
export const staffCommand: Command = {
  summary: 'create a staff account (role clinician, helpdesk or admin) and email its enrolment link',
  usage: 'staff create --email E --name N --role R',
  async run(args, io) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
    });
    const roles = ['clinician', 'helpdesk', 'admin'] as const;
    const role = roles.find((r) => r === values.role);
    if (
      positionals[0] !== 'create' ||
      !values.email ||
      !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email) ||
      !values.name?.trim() ||
      !role
    ) {
      io.err('usage: staff create --email name@clinic.example --name "Full Name" --role clinician|helpdesk|admin');
      return 2;
    }
    return withStore(io.env, async (store, config) => {
      const now = new Date();
      const token = newToken();
      const username = `staff-${values
        .email!.split('@')[0]!
        .toLowerCase()
        .replace(/[^a-z0-9._-]/g, '')}-${token.slice(0, 4).toLowerCase()}`;
      try {
        await withTransaction(store, async (trx) => {
          const account = await createAccount(
            trx,
            { kind: 'staff', username, email: values.email!, displayName: values.name!.trim(), role },
            now,
          );
          await trx
            .insertInto('one_time_token')
            .values({
              hash: hashToken(token),
              purpose: 'staff-enrol',
              account_id: account.id,
              patient_id: null,
              created_at: now.toISOString(),
              expires_at: new Date(now.getTime() + 7 * DAY).toISOString(),
              used_at: null,
              payload: null,
            })
            .execute();
          await appendAudit(
            trx,
            { actor: 'cli', action: 'staff.created', outcome: 'success', target: account.id, detail: role },
            now,
          );
        });
      } catch (error) {
        if (/unique|UNIQUE/.test((error as Error).message)) {
          io.err(`staff: an account with the email ${values.email} already exists`);
          return 1;
        }
        throw error;
      }
      const logger = createLogger(config.logLevel);
      const mailer = createMailer({
        smtpUrl: config.smtpUrl,
        from: config.mailFrom,
        outbox: join(config.dataDir, 'mail'),
        logger,
      });
      await mailer.send({
        to: values.email!,
        subject: `Your ${config.clinic.name} staff account`,
        text: `An account was created for you on the ${config.clinic.name} patient portal (role: ${role}). Finish setting it up within 7 days:\n\n${config.publicOrigin}/staff-enrol#token=${token}`,
      });
      io.out(
        `Created ${role} account for ${values.name} <${values.email}>; the enrolment link was emailed (valid 7 days).`,
      );
      return 0;
    });
  },
};

/** `audit verify`: re-walks the audit log's hash chain and says where it breaks, if anywhere. */
export const auditCommand: Command = {
  summary: 'check that the audit log has not been altered since it was written',
  usage: 'audit verify',
  async run(args, io) {
    if (args[0] !== 'verify') {
      io.err('usage: audit verify');
      return 2;
    }
    return withStore(io.env, async (store) => {
      const verdict = await verifyAuditLog(store.db);
      if (verdict.ok) {
        io.out(`audit log intact: ${verdict.entries} entries, every hash links to the one before`);
        return 0;
      }
      io.err(`audit log BROKEN at entry ${verdict.brokenAt}: ${verdict.reason}`);
      return 1;
    });
  },
};
