import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

export interface ReadMail {
  to: string;
  subject: string;
  text: string;
}

/** The mails the file mailer wrote under `dataDir/mail`, oldest first. */
export async function readOutbox(dataDir: string): Promise<ReadMail[]> {
  const dir = join(dataDir, 'mail');
  if (!existsSync(dir)) return [];
  const out: ReadMail[] = [];
  for (const f of readdirSync(dir).sort()) {
    const m = await simpleParser(readFileSync(join(dir, f)));
    out.push({ to: (m.to as { text: string } | undefined)?.text ?? '', subject: m.subject ?? '', text: m.text ?? '' });
  }
  return out;
}

/** Waits (briefly) until the outbox holds `count` mails; mail is sent in the background. */
export async function waitForMail(dataDir: string, count: number, timeoutMs = 15_000): Promise<ReadMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await readOutbox(dataDir);
    if (mails.length >= count || Date.now() > deadline) return mails;
    await new Promise((r) => setTimeout(r, 25));
  }
}
