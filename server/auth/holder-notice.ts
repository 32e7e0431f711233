import type { AppDeps } from '../deps.js';
import { sendInBackground } from '../notify/mailer.js';
import type { Account } from './sessions.js';

type Deps = Pick<AppDeps, 'config' | 'mailer' | 'logger'>;

/** Tells the account holder, by email, that something changed on their account's security. */
export function tellHolder(deps: Deps, account: Pick<Account, 'email'>, subject: string, sentence: string): void {
  const { config } = deps;
  sendInBackground(deps.mailer, deps.logger, {
    to: account.email,
    subject: `${subject} (${config.clinic.name})`,
    text: `${sentence}\n\nIf this was you, there is nothing more to do. If it was not, sign in and check Account → Security, or call us on ${config.clinic.support.phone}.`,
  });
}
