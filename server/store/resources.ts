import { sql, type Transaction } from 'kysely';
import { addTo } from '../multimap.js';
import { compartmentsOf, identifiersOf, type BusinessIdentifier, type JsonObject } from '../fhir-json/references.js';
import { appendChanges } from './changes.js';
import { canonicalContent } from './resource-content.js';
import type { Database } from './schema.js';
import type { DialectName } from './store.js';

/** A resource as read from the store: FHIR JSON with meta.versionId and meta.lastUpdated filled in. */
export interface StoredResource {
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: string;
  resource: JsonObject;
}

export type PutOutcome = 'created' | 'updated' | 'unchanged';

export interface PutResult {
  resourceType: string;
  id: string;
  versionId: number;
  outcome: PutOutcome;
  /** The Patient compartments the resource belongs to after the write. */
  patients: string[];
}

/** Rows per multi-row statement: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const CHUNK = 400;
/** From this many resources in one call, PostgreSQL's statistics are refreshed first (see putResources). */
const LARGE_BATCH = 5000;

const key = (type: string, id: string) => `${type}/${id}`;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function groupIds(keys: { type: string; id: string }[]): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const k of keys) addTo(byType, k.type, k.id);
  return byType;
}

interface Current {
  version_id: number;
  content: string;
}

/** Reads the current rows for these keys; with `lock` (PostgreSQL) they stay row-locked until commit. */
async function readCurrent(
  trx: Transaction<Database>,
  lock: boolean,
  keys: { type: string; id: string }[],
): Promise<Map<string, Current>> {
  const found = new Map<string, Current>();
  for (const [type, ids] of groupIds(keys)) {
    for (const part of chunks(ids)) {
      let query = trx
        .selectFrom('fhir_resource')
        .select(['id', 'version_id', 'content'])
        .where('resource_type', '=', type)
        .where('id', 'in', part);
      if (lock) query = query.forUpdate();
      for (const row of await query.execute()) found.set(key(type, row.id), row);
    }
  }
  return found;
}

interface Item {
  type: string;
  id: string;
  content: string;
  patients: string[];
  identifiers: BusinessIdentifier[];
}

/**
 * Creates or updates resources in one transaction. An unchanged resource keeps its version and writes nothing; a
 * changed one gets the next version id. Compartments and identifiers follow the content, and every created or updated
 * resource appends a change to each compartment it belongs to (or left). Each resource needs `resourceType` and
 * `id`, and a (type, id) may appear once per call. Safe under concurrent writers: on PostgreSQL a row is locked
 * before it is changed (so versions never collide), and a concurrent insert of the same key is re-read rather than
 * failing.
 */
export async function putResources(
  trx: Transaction<Database>,
  dialect: DialectName,
  resources: JsonObject[],
  now: Date,
): Promise<PutResult[]> {
  const stamp = now.toISOString();
  const items: Item[] = resources.map((resource) => {
    const type = resource.resourceType;
    const id = resource.id;
    if (typeof type !== 'string' || typeof id !== 'string') throw new Error('putResources needs resourceType and id');
    return {
      type,
      id,
      content: canonicalContent(resource),
      patients: compartmentsOf(resource),
      identifiers: identifiersOf(resource),
    };
  });
  const keys = items.map((i) => ({ type: i.type, id: i.id }));
  if (new Set(keys.map((k) => key(k.type, k.id))).size !== keys.length)
    throw new Error('putResources got the same resource twice');

  if (dialect === 'postgres' && items.length >= LARGE_BATCH) {
    // Planner statistics lag behind a bulk load (autovacuum analyzes a minute later): with a stale row count,
    // PostgreSQL scans every row of a type for each chunk's `id in (…)` instead of using the primary key.
    await sql`analyze fhir_resource`.execute(trx);
  }
  // Read without locks first: a resource whose stored content is already the same is left alone (most of a
  // re-import). Only rows that will change are then locked (PostgreSQL) and read again, so their version is current.
  const current = await readCurrent(trx, false, keys);
  if (dialect === 'postgres') {
    const changing = items.filter((i) => current.get(key(i.type, i.id))?.content !== i.content);
    const locked = await readCurrent(trx, true, changing);
    for (const i of changing) {
      const row = locked.get(key(i.type, i.id));
      if (row) current.set(key(i.type, i.id), row);
      else current.delete(key(i.type, i.id));
    }
  }
  const fresh = items.filter((i) => !current.has(key(i.type, i.id)));
  const raced: { type: string; id: string }[] = [];
  for (const part of chunks(fresh)) {
    const inserted = await trx
      .insertInto('fhir_resource')
      .values(
        part.map((i) => ({ resource_type: i.type, id: i.id, version_id: 1, last_updated: stamp, content: i.content })),
      )
      .onConflict((oc) => oc.columns(['resource_type', 'id']).doNothing())
      .returning(['resource_type', 'id'])
      .execute();
    const done = new Set(inserted.map((r) => key(r.resource_type, r.id)));
    raced.push(...part.filter((i) => !done.has(key(i.type, i.id))).map((i) => ({ type: i.type, id: i.id })));
  }
  // Another writer created some of these between our read and our insert: treat them as existing rows.
  const racedRows = raced.length ? await readCurrent(trx, dialect === 'postgres', raced) : new Map<string, Current>();

  const results: PutResult[] = [];
  const updated: Item[] = [];
  const created: Item[] = [];
  for (const item of items) {
    const k = key(item.type, item.id);
    const row = current.get(k) ?? racedRows.get(k);
    if (!row) {
      created.push(item);
      results.push({ resourceType: item.type, id: item.id, versionId: 1, outcome: 'created', patients: item.patients });
    } else if (row.content === item.content) {
      results.push({
        resourceType: item.type,
        id: item.id,
        versionId: row.version_id,
        outcome: 'unchanged',
        patients: item.patients,
      });
    } else {
      const versionId = row.version_id + 1;
      updated.push(item);
      results.push({ resourceType: item.type, id: item.id, versionId, outcome: 'updated', patients: item.patients });
      await trx
        .updateTable('fhir_resource')
        .set({ content: item.content, version_id: versionId, last_updated: stamp })
        .where('resource_type', '=', item.type)
        .where('id', '=', item.id)
        .execute();
    }
  }

  const previous = await compartmentsFor(trx, updated);
  for (const item of updated) {
    await trx.deleteFrom('fhir_compartment').where('resource_type', '=', item.type).where('id', '=', item.id).execute();
    await trx.deleteFrom('fhir_identifier').where('resource_type', '=', item.type).where('id', '=', item.id).execute();
  }
  const written = [...created, ...updated];
  const memberships = written.flatMap((i) =>
    i.patients.map((p) => ({ patient_id: p, resource_type: i.type, id: i.id })),
  );
  for (const part of chunks(memberships)) await trx.insertInto('fhir_compartment').values(part).execute();
  const identifiers = written.flatMap((i) =>
    i.identifiers.map((b) => ({ resource_type: i.type, id: i.id, system: b.system, value: b.value })),
  );
  for (const part of chunks(identifiers)) await trx.insertInto('fhir_identifier').values(part).execute();

  const changes = results
    .filter((r) => r.outcome !== 'unchanged')
    .flatMap((r) => {
      const patients = new Set([...r.patients, ...(previous.get(key(r.resourceType, r.id)) ?? [])]);
      return [...patients].map((patientId) => ({
        patientId,
        resourceType: r.resourceType,
        id: r.id,
        versionId: r.versionId,
      }));
    });
  await appendChanges(trx, changes, now);
  return results;
}

/** Creates or updates one resource: see putResources. */
export async function putResource(
  trx: Transaction<Database>,
  dialect: DialectName,
  resource: JsonObject,
  now: Date,
): Promise<PutResult> {
  const [result] = await putResources(trx, dialect, [resource], now);
  return result!;
}

async function compartmentsFor(trx: Transaction<Database>, items: Item[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [type, ids] of groupIds(items.map((i) => ({ type: i.type, id: i.id })))) {
    for (const part of chunks(ids)) {
      const rows = await trx
        .selectFrom('fhir_compartment')
        .select(['id', 'patient_id'])
        .where('resource_type', '=', type)
        .where('id', 'in', part)
        .execute();
      for (const row of rows) addTo(out, key(type, row.id), row.patient_id);
    }
  }
  return out;
}
