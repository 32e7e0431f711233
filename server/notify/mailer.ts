import { outboxFileName, putInOutbox } from './file-outbox.js';
import nodemailer from 'nodemailer';
import type { Logger } from '../log.js';

/** A message to one person. Mail never carries clinical content: only that something is waiting in the portal. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export interface MailerOptions {
  /** `smtp://user:pass@host:587` or `smtps://…`; unset → each mail is written as an .eml file under `outbox`. */
  smtpUrl?: string;
  from: string;
  /** Folder for .eml files when there is no SMTP server (DATA_DIR/mail). */
  outbox: string;
  logger: Logger;
  /** Log the links of mail written to files (only when the portal runs on localhost). */
  logLinks?: boolean;
}

/**
 * nodemailer over SMTP when SMTP_URL is set. Otherwise nodemailer builds the same RFC 5322 message and it is
 * written to a file, and its links are logged, so `npm start` works with nothing else installed and a developer
 * can follow a verification link.
 */
export function createMailer(options: MailerOptions): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(mail) {
        await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text });
        options.logger.info('mail sent', { subject: mail.subject });
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      });
      const file = await putInOutbox(options.outbox, outboxFileName('eml'), info.message as Buffer);
      // Links carry single-use secrets: they are logged only for a portal on this machine (development and demos).
      const links = options.logLinks ? (mail.text.match(/https?:\/\/\S+/g) ?? []) : [];
      options.logger.info('mail written to file (no SMTP_URL)', {
        file,
        subject: mail.subject,
        links: links.join(' ') || undefined,
      });
    },
  };
}

/**
 * Sends without making the caller wait: for mail whose sending time must not show in a response (an answer that
 * may not reveal whether an account exists) or must not delay it. A failure is logged, never thrown.
 */
export function sendInBackground(mailer: Mailer, logger: Logger, mail: Mail): void {
  void mailer
    .send(mail)
    .catch((error: Error) => logger.error('mail failed', { subject: mail.subject, error: error.message }));
}
