/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { openAccountVault, syncAll, SyncError, type SyncProgress, type SyncResult } from './sync.js';

/**
 * The sync client, off the main thread (comlink): fetching, encrypting and storing thousands of resources never
 * blocks the page. One run at a time per tab; several tabs take turns through a Web Lock.
 */
const api = {
  async sync(accountId: string, onProgress: (p: SyncProgress) => void): Promise<SyncResult | { error: string; status: number }> {
    return navigator.locks.request(`mcl-sync-${accountId}`, async () => {
      try {
        const vault = await openAccountVault(accountId);
        try {
          return await syncAll(vault, onProgress);
        } finally {
          vault.db.close();
        }
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error), status: error instanceof SyncError ? error.status : 0 };
      }
    });
  },
};

export type SyncWorkerApi = typeof api;
Comlink.expose(api);
