import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createMailer, type Mailer } from './mailer.js';
import { createSmsSender, type SmsSender } from './sms.js';

/**
 * The portal's mailer and text sender, as `npm start` wires them from its settings. Without SMTP, mail is written
 * under DATA_DIR/mail and, on localhost only, its links are logged so a developer can follow a verification link.
 * Without an SMS provider, texts are written under DATA_DIR/sms (mode 600) and never logged on any host: a text
 * holds a sign-in code, and a log is read by more people, kept longer and shipped further than the data folder.
 */
export function createSenders(config: Config, logger: Logger): { mailer: Mailer; sms: SmsSender } {
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    outbox: join(config.dataDir, 'mail'),
    logger,
    logLinks: new URL(config.publicOrigin).hostname === 'localhost',
  });
  const sms = createSmsSender({ ...config.sms, outbox: join(config.dataDir, 'sms'), logger });
  return { mailer, sms };
}
