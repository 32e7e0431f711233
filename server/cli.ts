import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, redactDatabaseUrl } from './config.js';
import { openStore, StoreOpenError, migrateToLatest } from './store/store.js';

/**
 * The operator's tool: `npm run cli -- <command> [options]`. It reads the same environment as the server
 * (DATA_DIR, DATABASE_URL, …), so it works on the same data.
 */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
}

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
    throw error;
  }
}
