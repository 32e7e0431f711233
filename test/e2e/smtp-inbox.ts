import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** A real SMTP server on loopback for a journey's server to send to, and what arrived (parsed). */
export interface SmtpInbox {
  /** The setting that points the portal's mailer at it. */
  env: { SMTP_URL: string };
  mails: ParsedMail[];
  /** Waits (up to 15 s) for the mail to `to` whose subject matches. */
  mailTo(subject: RegExp, to: string): Promise<ParsedMail>;
  close(): Promise<void>;
}

export async function smtpInbox(): Promise<SmtpInbox> {
  const mails: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      simpleParser(stream).then((m) => (mails.push(m), done()), done);
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const port = (smtp.server.address() as { port: number }).port;
  return {
    env: { SMTP_URL: `smtp://127.0.0.1:${port}` },
    mails,
    async mailTo(subject, to) {
      for (let i = 0; i < 300; i++) {
        const mail = mails.find((m) => subject.test(m.subject ?? '') && (m.to as { text: string }).text.includes(to));
        if (mail) return mail;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no mail to ${to} like ${subject}: ${mails.map((m) => m.subject).join('; ')}`);
    },
    close: () => new Promise<void>((r) => smtp.close(() => r())),
  };
}
