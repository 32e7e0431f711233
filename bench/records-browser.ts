import { openVault } from '../client/record/open-vault.js';

/**
 * Runs in Chromium (bench/records.mjs bundles it and loads it into a page). Each figure is measured beside a raw
 * IndexedDB baseline on the same data in the same run; the bench prints the ratios, it asserts nothing.
 */
type Json = Record<string, any>;

function observation(i: number, patientId: string): Json {
  const day = new Date(Date.UTC(2000, 0, 1) + i * 3_600_000).toISOString();
  return {
    resourceType: 'Observation',
    id: `obs-${i}`,
    status: 'final',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] },
    ],
    code: {
      coding: [{ system: 'http://loinc.org', code: `${2000 + (i % 40)}-0`, display: `Test ${i % 40}` }],
      text: `Test ${i % 40}`,
    },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: day,
    issued: day,
    valueQuantity: { value: (i % 97) + 0.5, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
  };
}

function rawDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(name, 1);
    // The same key and indexes the vault needs (by date for lists, by code for a test's history).
    r.onupgradeneeded = () => {
      const store = r.result.createObjectStore('resources', { keyPath: ['patientId', 'type', 'id'] });
      store.createIndex('byDate', ['patientId', 'type', 'date']);
      store.createIndex('byCode', ['patientId', 'type', 'code']);
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function rawPut(db: IDBDatabase, rows: Json[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('resources', 'readwrite');
    const store = tx.objectStore('resources');
    for (const row of rows) store.put(row);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

/** The baseline the issue names: `getAll(range, 50)` on the date index, plain objects, no decryption. */
function rawNewest(db: IDBDatabase, patientId: string, n: number): Promise<Json[]> {
  return new Promise((resolve) => {
    const range = IDBKeyRange.bound([patientId, 'Observation', ''], [patientId, 'Observation', '\uffff']);
    const req = db.transaction('resources').objectStore('resources').index('byDate').getAll(range, n);
    req.onsuccess = () => resolve(req.result);
  });
}

async function best(runs: number, fn: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

/** Longest main-thread task while `fn` runs (Long Tasks API). */
async function longestTask(fn: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  await fn();
  await new Promise((r) => setTimeout(r, 50));
  observer.disconnect();
  return longest;
}

const PAGE = Number(new URLSearchParams(location.search).get('page') ?? 500);

export async function run(): Promise<Json> {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const patientId = 'bench-patient';

  // Ingest: 10,000 resources, the vault (encrypt + index + bulkPut in pages of 500, as the sync does) against one
  // raw IndexedDB transaction of the same resources as plain objects, in a store with the same key and indexes.
  // Best of three, each into a new empty database, alternating, so that machine noise hits both alike.
  const ten = Array.from({ length: 10_000 }, (_, i) => observation(i, patientId));
  let rawIngest = Infinity;
  let vaultIngest = Infinity;
  let longest = 0;
  for (let run = 0; run < 3; run++) {
    const scratch = await rawDb(`bench-raw-${run}`);
    rawIngest = Math.min(
      rawIngest,
      await best(1, () =>
        rawPut(
          scratch,
          ten.map((r) => ({
            patientId,
            type: r.resourceType,
            id: r.id,
            date: r.effectiveDateTime,
            code: `${r.code.coding[0].system}|${r.code.coding[0].code}`,
            resource: r,
          })),
        ),
      ),
    );
    scratch.close();
    indexedDB.deleteDatabase(`bench-raw-${run}`);
    const fresh = await openVault('bench-account', key, `bench-vault-${run}`);
    longest = Math.max(
      longest,
      await longestTask(async () => {
        const t = performance.now();
        // As the sync stores: the next page is sealed while the last one is written.
        let writing: Promise<void> = Promise.resolve();
        for (let i = 0; i < ten.length; i += PAGE) {
          const rows = await fresh.seal(patientId, ten.slice(i, i + PAGE));
          await writing;
          writing = fresh.write(patientId, rows);
        }
        await writing;
        vaultIngest = Math.min(vaultIngest, performance.now() - t);
      }),
    );
    fresh.db.close();
    indexedDB.deleteDatabase(`bench-vault-${run}`);
  }
  const raw = await rawDb('bench-raw');
  await rawPut(
    raw,
    ten.map((r) => ({
      patientId,
      type: r.resourceType,
      id: r.id,
      date: r.effectiveDateTime,
      code: `${r.code.coding[0].system}|${r.code.coding[0].code}`,
      resource: r,
    })),
  );
  const vault = await openVault('bench-account', key, 'bench-vault');
  for (let i = 0; i < ten.length; i += 500) await vault.put(patientId, ten.slice(i, i + 500));

  // Query: the newest 50 results with 100,000 stored, decrypted, against raw getAll-by-index of 50 plain objects.
  const more = Array.from({ length: 90_000 }, (_, i) => observation(10_000 + i, patientId));
  await rawPut(
    raw,
    more.map((r) => ({
      patientId,
      type: r.resourceType,
      id: r.id,
      date: r.effectiveDateTime,
      code: `${r.code.coding[0].system}|${r.code.coding[0].code}`,
      resource: r,
    })),
  );
  for (let i = 0; i < more.length; i += 2000) await vault.put(patientId, more.slice(i, i + 2000));
  const rawQuery = await best(5, () => rawNewest(raw, patientId, 50));
  const vaultQuery = await best(5, () => vault.list(patientId, 'Observation', 50));

  // Paint: the newest 50 rendered as a table from the vault (query + decrypt + DOM), to the next frame.
  const paint = await best(3, async () => {
    const rows = await vault.list(patientId, 'Observation', 50);
    const table = document.createElement('table');
    table.innerHTML = rows.map((o) => `<tr><td>${o.code.text}</td><td>${o.valueQuantity.value}</td></tr>`).join('');
    document.body.append(table);
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    table.remove();
  });

  raw.close();
  vault.db.close();
  return { rawIngest, vaultIngest, longest, rawQuery, vaultQuery, paint };
}
