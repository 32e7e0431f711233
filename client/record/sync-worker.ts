/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { ApiProblem } from '../data/api.js';
import { listPatients, openAccountVault, syncAll, type SyncProgress, type SyncResult } from './sync.js';
import type { Vault } from './vault.js';

/**
 * The sync client, off the main thread (comlink): fetching, encrypting and storing thousands of resources never
 * blocks the page. One run at a time per tab; several tabs take turns through a Web Lock.
 */
// Kept between runs while the worker lives (it ends when the session does): a sync with nothing new is then one
// small request per patient.
let open: { accountId: string; vault: Vault; patients: SyncResult['patients'] } | undefined;

const api = {
  async sync(
    accountId: string,
    onProgress: (p: SyncProgress) => void,
  ): Promise<SyncResult | { error: string; status: number }> {
    return navigator.locks.request(`mcl-sync-${accountId}`, async () => {
      try {
        if (open?.accountId !== accountId) {
          open?.vault.db.close();
          // Opened, never made: the page makes the record (and its secret) before it asks for a sync.
          const vault = await openAccountVault(accountId, false);
          // The record deleted meanwhile (removed, evicted): this connection closes for good rather than reopening,
          // and so recreating, the database to write pages sealed with the old keys. The next sync opens afresh.
          vault.db.on('versionchange', () => {
            vault.db.close({ disableAutoOpen: true });
            if (open?.vault === vault) open = undefined;
            return false;
          });
          open = { accountId, vault, patients: await listPatients() };
        }
        return await syncAll(open.vault, onProgress, open.patients);
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 401) {
          open?.vault.db.close();
          open = undefined;
        }
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
