import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Puts a file into an outbox folder (DATA_DIR/mail, DATA_DIR/sms) whole or not at all: it is written beside the
 * folder first (`.writing/`, on the same disk) and renamed in, so whoever reads the folder (a developer, a relay,
 * a test) never sees half a message. Mode 600: the message may hold a single-use link or a sign-in code.
 */
export async function putInOutbox(outbox: string, name: string, data: string | Uint8Array): Promise<string> {
  const writing = join(dirname(outbox), '.writing');
  await mkdir(outbox, { recursive: true });
  await mkdir(writing, { recursive: true });
  const temp = join(writing, `${basename(outbox)}-${name}`);
  await writeFile(temp, data, { mode: 0o600 });
  const file = join(outbox, name);
  await rename(temp, file);
  return file;
}

/**
 * Numbers the outbox files of this process, across every mailer and texter it makes (the server and the CLI make
 * their own, a test several): with the time and the process id, no two files written by one process share a name.
 */
let fileCounter = 0;
export function outboxFileName(extension: 'eml' | 'txt', now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++fileCounter}.${extension}`;
}
