import * as Comlink from 'comlink';
import { exportFileName, type ExportKind } from '../../common/fhir-export/make.js';
import type { ExportWorkerApi } from './export-worker.js';
import { submit } from './outbox.js';
import type { Vault } from './vault.js';

declare const __EXPORT_WORKER_URL__: string | undefined;

/** Where the built export worker is (set by the build); unbundled (element tests) the TypeScript file itself. */
function workerUrl(): string {
  return typeof __EXPORT_WORKER_URL__ === 'string'
    ? __EXPORT_WORKER_URL__
    : new URL('./export-worker.ts', import.meta.url).href;
}

/**
 * A file of the local record for another clinic ([4/11]): made in a worker from what this device holds (so it
 * works offline and sends nothing), returned as JSON text with its file name. The worker lives for one file.
 */
export async function exportRecord(
  vault: Vault,
  patientId: string,
  kind: ExportKind,
  now = new Date(),
): Promise<{ name: string; text: string }> {
  const raw = new Worker(workerUrl(), { type: 'module', name: 'mcl-export' });
  try {
    const worker = Comlink.wrap<ExportWorkerApi>(raw);
    const text = await worker.make(vault.lend(), patientId, kind, now.toISOString());
    return { name: exportFileName(kind, now), text };
  } finally {
    raw.terminate();
  }
}

/**
 * Tells the server an export was made, for the patient's access log: through the outbox, so one made offline is
 * told when the device is back online (by this page, or the service worker on Background Sync).
 */
export function noteExport(vault: Vault, patientId: string, kind: ExportKind): Promise<unknown> {
  return submit(vault, { action: 'record.exported', subject: kind, body: { patientId, kind } });
}
