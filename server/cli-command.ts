/** One command of the operator's tool (server/cli.ts); the command files import this, not the tool's list of them. */
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
