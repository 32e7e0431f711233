import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { appendAudit } from '../audit/log.js';
import type { Store } from '../store/store.js';
import { BundleError } from './bundle-input.js';
import { importFile, type ImportReport } from './import.js';

/** The .json files named, folders expanded (recursively, sorted by path), or the paths that do not exist. */
export function listBundleFiles(paths: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.toLowerCase().endsWith('.json')) files.push(path);
    }
  };
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      missing.push(path);
      continue;
    }
    if (isDir) walk(path);
    else files.push(path);
  }
  return { files, missing };
}

/** What `import --json` prints for a file: one JSON object per line. */
export function jsonLine(file: string, outcome: ImportReport | { error: string }): string {
  if ('error' in outcome)
    return JSON.stringify({ file, error: outcome.error, patients: [], imported: {}, rejected: [] });
  const { patients, imported, rejected, bundleType, entries, created, updated, unchanged } = outcome;
  return JSON.stringify({ file, patients, imported, rejected, bundleType, entries, created, updated, unchanged });
}

const SHOWN_REJECTIONS = 20;

/** The human summary of a file's import. */
export function summaryLines(file: string, report: ImportReport): string[] {
  const loaded = Object.values(report.imported).reduce((a, b) => a + b, 0);
  const who = report.patients.length
    ? `; patient${report.patients.length > 1 ? 's' : ''} ${report.patients.join(', ')}`
    : '';
  const lines = [
    `${file}: ${report.bundleType} bundle, ${report.entries} entries: ${loaded} loaded ` +
      `(${report.created} new, ${report.updated} changed, ${report.unchanged} unchanged), ${report.rejected.length} rejected${who}`,
  ];
  if (loaded)
    lines.push(
      `  ${Object.entries(report.imported)
        .map(([type, n]) => `${type} ${n}`)
        .join(', ')}`,
    );
  for (const r of report.rejected.slice(0, SHOWN_REJECTIONS)) {
    lines.push(
      `  rejected entry ${r.index}${r.resourceType ? ` (${r.resourceType})` : ''}${r.path ? ` at ${r.path}` : ''}: ${r.error}`,
    );
  }
  if (report.rejected.length > SHOWN_REJECTIONS) {
    lines.push(`  … and ${report.rejected.length - SHOWN_REJECTIONS} more rejected entries (--json lists them all)`);
  }
  return lines;
}

export interface ImportFilesOptions {
  json: boolean;
  maxBytes?: number;
  now: () => Date;
  out(line: string): void;
  err(line: string): void;
}

/**
 * Imports each file in turn, each in its own transaction, so later files can refer (conditionally) to what earlier
 * ones stored. Returns the exit code: 0 when every file loaded something, 1 when any file loaded nothing.
 */
export async function importFiles(store: Store, paths: string[], options: ImportFilesOptions): Promise<number> {
  const { files, missing } = listBundleFiles(paths);
  let failed = false;
  const fail = (file: string, error: string) => {
    failed = true;
    if (options.json) options.out(jsonLine(file, { error }));
    else options.err(`${file}: not loaded: ${error}`);
  };
  for (const path of missing) fail(path, 'no such file or folder');
  if (files.length === 0 && missing.length === 0) fail(paths.join(' '), 'no .json files found');
  for (const file of files) {
    let report: ImportReport;
    try {
      report = await importFile(store, file, {
        now: options.now(),
        ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
        // The audit entry commits with the data it records (SECURITY.md: staff actions are audited).
        afterWrite: async (trx, r) => {
          if (r.created + r.updated === 0) return;
          const detail = `${r.created} new, ${r.updated} changed, ${r.rejected.length} rejected; ${r.patients.length} patient(s)`;
          await appendAudit(
            trx,
            { actor: 'cli', action: 'record.import', target: basename(file), outcome: 'success', detail },
            options.now(),
          );
        },
      });
    } catch (error) {
      if (!(error instanceof BundleError)) throw error;
      fail(file, error.message.startsWith(`${file}: `) ? error.message.slice(file.length + 2) : error.message);
      continue;
    }
    const loaded = Object.values(report.imported).reduce((a, b) => a + b, 0);
    if (loaded === 0) failed = true;
    if (options.json) options.out(jsonLine(file, report));
    else for (const line of summaryLines(file, report)) (loaded ? options.out : options.err)(line);
  }
  return failed ? 1 : 0;
}
