/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { makeExport, type ExportKind } from '../../common/fhir-export/make.js';
import { Vault, type LentVault } from './vault.js';
import { VaultDb } from './vault-db.js';
import type { AnyResource } from '../../common/fhir-export/references.js';

/**
 * Makes the files for another clinic ([4/11]) off the main thread (comlink): reads and decrypts the whole local
 * record with the keys the page lends (non-extractable CryptoKeys, structured-cloned, never stored), builds the FHIR
 * Bundle or the IPS, and answers the JSON text. Nothing leaves the device; it works offline.
 */
const api = {
  async make(lent: LentVault, patientId: string, kind: ExportKind, now: string): Promise<string> {
    const db = new VaultDb(lent.dbName);
    try {
      const resources = await new Vault(db, lent.keys, lent.accountId).all<AnyResource>(patientId);
      return JSON.stringify(makeExport(resources, kind, { now: new Date(now), newId: () => crypto.randomUUID() }));
    } finally {
      db.close();
    }
  },
};

export type ExportWorkerApi = typeof api;
Comlink.expose(api);
