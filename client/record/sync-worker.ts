/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { ApiProblem } from '../data/api.js';
import { listPatients, openAccountVault, syncAll, type SyncProgress, type SyncResult } from './sync.js';
import type { Vault } from './vault.js';
import { ACCESS_ENDED } from './sync-worker-answers.js';

/**
 * The sync client, off the main thread (comlink): fetching, encrypting and storing thousands of resources never
 * blocks the page. One run at a time per tab; several tabs take turns through a Web Lock.
 */
// Kept between runs while the worker lives (it ends when the session does): a sync with nothing new is then one
// small request per patient.
let open: { accountId: string; patientId: string | null; vault: Vault; patients: SyncResult['patients'] } | undefined;

const api = {
  /**
   * Brings one person's local record up to date: the account's own (`otherPerson` undefined), or that of a person
   * the account helps. Another person's access is asked again at every run (it may have been narrowed or ended
   * since): when it has ended the answer says so (ACCESS_ENDED) and nothing is fetched.
   */
  async sync(
    accountId: string,
    onProgress: (p: SyncProgress) => void,
    otherPerson?: string,
  ): Promise<SyncResult | { error: string; status: number; reason?: typeof ACCESS_ENDED }> {
    return navigator.locks.request(`mcl-sync-${accountId}-${otherPerson ?? 'own'}`, async () => {
      try {
        if (open && (open.accountId !== accountId || open.patientId !== (otherPerson ?? null))) {
          open.vault.db.close();
          open = undefined;
        }
        if (!open) {
          // Opened, never made: the page makes the record (and its secret) before it asks for a sync.
          const vault = await openAccountVault(accountId, false, otherPerson);
          // The record deleted meanwhile (removed, evicted): this connection closes for good rather than reopening,
          // and so recreating, the database to write pages sealed with the old keys. The next sync opens afresh.
          vault.db.on('versionchange', () => {
            vault.db.close({ disableAutoOpen: true });
            if (open?.vault === vault) open = undefined;
            return false;
          });
          open = { accountId, patientId: otherPerson ?? null, vault, patients: await listPatients() };
        } else if (otherPerson) open.patients = await listPatients();
        const whose = open.patients.filter((p) => (otherPerson ? p.id === otherPerson && !p.self : p.self));
        if (otherPerson && !whose.length)
          return { error: 'Your access to this record has ended.', status: 404, reason: ACCESS_ENDED };
        return await syncAll(open.vault, onProgress, whose);
      } catch (error) {
        if (error instanceof ApiProblem && (error.status === 401 || error.status === 404)) {
          open?.vault.db.close();
          open = undefined;
        }
        // Another person's key or feed refused: the access has ended (the server answers 404, as for no record).
        if (otherPerson && error instanceof ApiProblem && error.status === 404)
          return { error: 'Your access to this record has ended.', status: 404, reason: ACCESS_ENDED };
        return {
          error: error instanceof Error ? error.message : String(error),
          status: error instanceof ApiProblem ? error.status : 0,
        };
      }
    });
  },
};

export type SyncWorkerApi = typeof api;
Comlink.expose(api);
