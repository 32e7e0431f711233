import { outboxFileName, putInOutbox } from './file-outbox.js';
import type { Logger } from '../log.js';

/** A text message to one phone. Like mail, texts never carry clinical content. */
export interface Text {
  /** E.164, e.g. +15555550123. */
  to: string;
  text: string;
}

export interface SmsSender {
  send(text: Text): Promise<void>;
}

export class SmsError extends Error {}

/**
 * The pluggable text-message sender. With no provider configured each text is written to a file under
 * `outbox` (DATA_DIR/sms), and only where it went is logged, so `npm start` works with nothing else installed; with `providerUrl` it is
 * POSTed as JSON `{to, text}` with a bearer token, the shape most SMS gateways (or a small relay in front of
 * one) accept. A refusal by the provider is an SmsError.
 */
export function createSmsSender(options: {
  providerUrl?: string;
  providerToken?: string;
  outbox: string;
  logger: Logger;
  fetch?: typeof fetch;
}): SmsSender {
  const { logger } = options;
  if (options.providerUrl) {
    const url = options.providerUrl;
    const doFetch = options.fetch ?? fetch;
    return {
      async send(text) {
        const response = await doFetch(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            ...(options.providerToken ? { Authorization: `Bearer ${options.providerToken}` } : {}),
          },
          body: JSON.stringify({ to: text.to, text: text.text }),
          signal: AbortSignal.timeout(10_000),
        }).catch((error: Error) => {
          throw new SmsError(`the SMS provider could not be reached: ${error.message}`);
        });
        if (!response.ok) throw new SmsError(`the SMS provider refused the text (HTTP ${response.status})`);
        logger.info('text sent', { to: maskPhone(text.to) });
      },
    };
  }
  return {
    async send(text) {
      const file = await putInOutbox(options.outbox, outboxFileName('txt'), `To: ${text.to}\n\n${text.text}\n`);
      // The text holds a sign-in code: it stays in the file, never in the log (on any host).
      logger.info('text written to file (no SMS_PROVIDER_URL)', { file, to: maskPhone(text.to) });
    },
  };
}

/** +15555550123 → +1•••••••0123: enough to recognise, not enough to use. */
export function maskPhone(phone: string): string {
  return phone.length <= 6
    ? '•'.repeat(phone.length)
    : `${phone.slice(0, 2)}${'•'.repeat(phone.length - 6)}${phone.slice(-4)}`;
}
