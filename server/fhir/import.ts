import type { Transaction } from 'kysely';
import { putResources } from '../store/resources.js';
import type { Database } from '../store/schema.js';
import { withTransaction, type Store } from '../store/store.js';
import { readBundleFile, type ImportableBundleType, type ParsedBundle } from './bundle-input.js';
import { prepareEntries, type Rejection } from './prepare.js';
import { resolveEntries } from './resolve.js';
import { fhirValidator, type FhirValidator } from './validator.js';

export interface ImportReport {
  bundleType: ImportableBundleType;
  entries: number;
  /** Patients whose compartment holds something this bundle loaded. */
  patients: string[];
  /** Loaded entries per resource type (created, updated or already identical). */
  imported: Record<string, number>;
  created: number;
  updated: number;
  unchanged: number;
  rejected: Rejection[];
}

export interface ImportOptions {
  now: Date;
  validator?: FhirValidator;
  /** Runs inside the import's transaction after its writes (e.g. to record that the demo data is loaded). */
  afterWrite?: (trx: Transaction<Database>, report: ImportReport) => Promise<void>;
}

/**
 * Loads one Bundle (transaction, batch, collection or document) in one database transaction. Entries that fail
 * their checks are reported in `rejected` and the others are loaded; a bundle whose entries all fail writes nothing.
 * Importing the same bundle again changes nothing; a resource whose content changed gets a new version.
 */
export async function importBundle(store: Store, bundle: ParsedBundle, options: ImportOptions): Promise<ImportReport> {
  const prepared = prepareEntries(bundle.type, bundle.entries, options.validator ?? fhirValidator());
  return withTransaction(store, async (trx) => {
    const { accepted, rejected } = await resolveEntries(trx, prepared);
    const writes = accepted.filter((e) => !e.alias).map((e) => e.resource);
    const results = writes.length ? await putResources(trx, store.dialect, writes, options.now) : [];
    const imported: Record<string, number> = {};
    for (const e of accepted) imported[e.resourceType] = (imported[e.resourceType] ?? 0) + 1;
    const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
    const report: ImportReport = {
      bundleType: bundle.type,
      entries: bundle.entries.length,
      patients: [...new Set(results.flatMap((r) => r.patients))].sort(),
      imported: Object.fromEntries(Object.entries(imported).sort(([a], [b]) => a.localeCompare(b))),
      created: count('created'),
      updated: count('updated'),
      unchanged: count('unchanged') + accepted.filter((e) => e.alias).length,
      rejected,
    };
    if (options.afterWrite) await options.afterWrite(trx, report);
    return report;
  });
}

export interface FileImportOptions extends ImportOptions {
  maxBytes?: number;
}

/** Reads and imports one bundle file. Throws BundleError (naming the file) when the file is unusable. */
export async function importFile(store: Store, file: string, options: FileImportOptions): Promise<ImportReport> {
  const bundle = await readBundleFile(file, options.maxBytes);
  return importBundle(store, bundle, options);
}
