import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-app-meta.js';
import * as m0002 from './0002-fhir-resources.js';
import * as m0003 from './0003-accounts-audit.js';
import * as m0004 from './0004-strong-auth.js';
import * as m0005 from './0005-vault-key.js';
import * as m0006 from './0006-passkey-counter-history.js';
import * as m0007 from './0007-idempotency.js';
import * as m0008 from './0008-message-threads.js';
import * as m0009 from './0009-appointments.js';
import * as m0010 from './0010-appointment-requests.js';
import * as m0011 from './0011-phones-e164.js';
import * as m0012 from './0012-caregivers.js';
import * as m0013 from './0013-audit-target.js';
import * as m0014 from './0014-grant-vault-key.js';

/**
 * Every migration, in order, bundled with the server (no directory scan at run time, so a bundled server and the
 * tests see the same list). Names sort in the order they must run. Each one must run on SQLite and PostgreSQL:
 * the storage contract suite applies all of them to both.
 */
export const migrations: Record<string, Migration> = {
  '0001-app-meta': m0001,
  '0002-fhir-resources': m0002,
  '0003-accounts-audit': m0003,
  '0004-strong-auth': m0004,
  '0005-vault-key': m0005,
  '0006-passkey-counter-history': m0006,
  '0007-idempotency': m0007,
  '0008-message-threads': m0008,
  '0009-appointments': m0009,
  '0010-appointment-requests': m0010,
  '0011-phones-e164': m0011,
  '0012-caregivers': m0012,
  '0013-audit-target': m0013,
  '0014-grant-vault-key': m0014,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
