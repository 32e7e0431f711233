import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, redactDatabaseUrl } from './config.js';
import { DEFAULT_MAX_BUNDLE_BYTES } from './fhir/bundle-input.js';
import { exportPatient } from './fhir/export.js';
import { importFiles } from './fhir/import-files.js';
import { appendAudit } from './audit/log.js';
import { openStore, StoreOpenError, migrateToLatest, withTransaction } from './store/store.js';
import { activationCodeCommand, auditCommand, staffCommand } from './cli-accounts.js';
import { scheduleCommand } from './cli-schedule.js';
import { guardianCommand } from './cli-guardians.js';
import type { CliIO, Command } from './cli-command.js';

/**
 * The operator's tool: `npm run cli -- <command> [options]`. It reads the same environment as the server
 * (DATA_DIR, DATABASE_URL, …), so it works on the same data.
 */
export const commands: Record<string, Command> = {
  migrate: {
    summary: 'apply pending database migrations (the server also does this at start)',
    usage: 'migrate',
    async run(_args, io) {
      const config = loadConfig(io.env);
      const store = await openStore(config.databaseUrl, { migrate: false });
      try {
        const applied = await migrateToLatest(store.db);
        io.out(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
        return 0;
      } finally {
        await store.close();
      }
    },
  },
  import: {
    summary: 'load FHIR R4 bundles (transaction, batch, collection, document); folders are searched for .json files',
    usage: 'import <file|folder>... [--json] [--max-mb N]',
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { json: { type: 'boolean', default: false }, 'max-mb': { type: 'string' } },
      });
      const maxMb = values['max-mb'] === undefined ? DEFAULT_MAX_BUNDLE_BYTES / 1024 / 1024 : Number(values['max-mb']);
      if (positionals.length === 0 || !(maxMb > 0)) {
        io.err(
          `usage: npm run cli -- ${this.usage}${positionals.length ? ' (--max-mb takes a number of megabytes)' : ''}`,
        );
        return 2;
      }
      const store = await openStore(loadConfig(io.env).databaseUrl);
      try {
        return await importFiles(store, positionals, {
          json: values.json === true,
          maxBytes: Math.round(maxMb * 1024 * 1024),
          now: () => new Date(),
          out: io.out,
          err: io.err,
        });
      } catch (error) {
        io.err(`import: stopped: ${(error as Error).message}`);
        return 1;
      } finally {
        await store.close();
      }
    },
  },
  export: {
    summary: "write a patient's whole record as a FHIR collection Bundle (to stdout, or to a file with --out)",
    usage: 'export <patient-id> [--out file]',
    async run(args, io) {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' } } });
      if (positionals.length !== 1) {
        io.err(`usage: npm run cli -- ${this.usage}`);
        return 2;
      }
      const patientId = positionals[0]!;
      const config = loadConfig(io.env);
      const store = await openStore(config.databaseUrl);
      try {
        const bundle = await exportPatient(store.db, patientId, {
          base: `${config.publicOrigin}/fhir`,
          now: new Date(),
        });
        if (!bundle) {
          io.err(`export: there is no Patient with id "${patientId}"`);
          return 1;
        }
        const text = JSON.stringify(bundle, null, 2);
        if (values.out) {
          try {
            writeFileSync(values.out, text + '\n');
          } catch (error) {
            io.err(
              `export: cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
            );
            return 1;
          }
          io.out(`wrote ${bundle.entry!.length} resources for patient ${patientId} to ${values.out}`);
        } else io.out(text);
        const detail = `${bundle.entry!.length} resources as a FHIR collection Bundle`;
        await withTransaction(store, (trx) =>
          appendAudit(
            trx,
            { actor: 'cli', onBehalfOf: patientId, action: 'record.export', outcome: 'success', detail },
            new Date(),
          ),
        );
        return 0;
      } finally {
        await store.close();
      }
    },
  },
  'activation-code': activationCodeCommand,
  staff: staffCommand,
  guardian: guardianCommand,
  schedule: scheduleCommand,
  audit: auditCommand,
  config: {
    summary: 'print the configuration the server would use (no secrets)',
    usage: 'config',
    async run(_args, io) {
      const config = loadConfig(io.env);
      io.out(JSON.stringify({ ...config, databaseUrl: redactDatabaseUrl(config.databaseUrl) }, null, 2));
      return 0;
    },
  },
};

export function helpText(): string {
  const width = Math.max(...Object.values(commands).map((c) => c.usage.length));
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    'Commands:',
    ...Object.values(commands).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration comes from the environment, as for the server: DATA_DIR, DATABASE_URL, PUBLIC_ORIGIN, CLINIC_CONFIG.',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const name = positionals[0];
  if (!name || name === 'help' || argv.includes('--help') || argv.includes('-h')) {
    io.out(helpText());
    return name && name !== 'help' && !commands[name] ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`Unknown command "${name}". Run \`npm run cli -- --help\` for the list.`);
    return 2;
  }
  try {
    return await command.run(argv.slice(argv.indexOf(name) + 1), io);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StoreOpenError) {
      io.err(`${name}: ${error.message}`);
      return 1;
    }
    if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS_')) {
      io.err(`${name}: ${(error as Error).message}. Usage: npm run cli -- ${command.usage}`);
      return 2;
    }
    throw error;
  }
}
