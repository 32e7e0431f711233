import { sql, type Kysely, type Transaction } from 'kysely';
import type { JsonObject } from '../fhir-json/references.js';
import { addTo } from '../multimap.js';
import { withServerMeta } from './resource-content.js';
import type { Database } from './schema.js';

export interface NewChange {
  patientId: string;
  resourceType: string;
  id: string;
  versionId: number;
}

/**
 * Appends changes to patients' feeds. Numbers come from each patient's counter row, taken with
 * `insert … on conflict do update set seq = seq + n returning seq`: the row stays locked until this transaction
 * ends, so another writer to the same patient waits and gets the numbers after ours, and a rollback returns ours.
 * Per patient, sequence numbers therefore become visible in order and without gaps, which a global serial does
 * not promise (two transactions may commit in the opposite order to the one they drew their numbers in).
 * Patients are locked in sorted order so that two writers never wait on each other in a cycle.
 */
export async function appendChanges(trx: Transaction<Database>, changes: NewChange[], now: Date): Promise<void> {
  const byPatient = new Map<string, NewChange[]>();
  for (const change of changes) addTo(byPatient, change.patientId, change);
  const changedAt = now.toISOString();
  for (const patientId of [...byPatient.keys()].sort()) {
    const list = byPatient.get(patientId)!;
    const last = await allocateSeq(trx, patientId, list.length);
    const rows = list.map((c, i) => ({
      patient_id: patientId,
      seq: last - list.length + 1 + i,
      resource_type: c.resourceType,
      id: c.id,
      version_id: c.versionId,
      changed_at: changedAt,
    }));
    for (let i = 0; i < rows.length; i += 400)
      await trx
        .insertInto('fhir_change')
        .values(rows.slice(i, i + 400))
        .execute();
  }
}

/** Reserves `count` numbers in the patient's feed and returns the last one (the first is last - count + 1). */
export async function allocateSeq(trx: Transaction<Database>, patientId: string, count: number): Promise<number> {
  const row = await trx
    .insertInto('fhir_patient_seq')
    .values({ patient_id: patientId, seq: count })
    .onConflict((oc) => oc.column('patient_id').doUpdateSet({ seq: sql<number>`fhir_patient_seq.seq + ${count}` }))
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(row.seq);
}

export interface Change {
  seq: number;
  resourceType: string;
  id: string;
  /** The version this change produced (the resource may have moved on since: `resource` is the current one). */
  versionId: number;
  changedAt: string;
  /** The current resource, or undefined when it no longer belongs to this patient's compartment. */
  resource?: JsonObject;
}

/**
 * What changed for a patient after `since` (0 = from the start), oldest first, at most `limit` changes. A reader
 * keeps the last `seq` it received as its cursor: every change is then seen exactly once, in order. A change whose
 * resource has left the compartment comes without `resource`: the reader should drop its copy. With `maxBytes`, a
 * page also stops once its resources add up to more than that (always at least one change): a few large files
 * (message attachments) cannot make one answer too large to build.
 */
export async function listChanges(
  db: Kysely<Database>,
  patientId: string,
  since: number,
  limit = 500,
  maxBytes?: number,
): Promise<Change[]> {
  if (maxBytes !== undefined) {
    const sizes = await db
      .selectFrom('fhir_change as c')
      .leftJoin('fhir_resource as r', (join) =>
        join.onRef('r.resource_type', '=', 'c.resource_type').onRef('r.id', '=', 'c.id'),
      )
      .select(sql<number>`coalesce(length(r.content), 0)`.as('size'))
      .where('c.patient_id', '=', patientId)
      .where('c.seq', '>', since)
      .orderBy('c.seq')
      .limit(limit)
      .execute();
    let total = 0;
    let count = 0;
    for (const { size } of sizes) {
      total += Number(size);
      if (count > 0 && total > maxBytes) break;
      count++;
    }
    limit = Math.max(1, count);
  }
  const rows = await db
    .selectFrom('fhir_change as c')
    .leftJoin('fhir_compartment as m', (join) =>
      join
        .onRef('m.patient_id', '=', 'c.patient_id')
        .onRef('m.resource_type', '=', 'c.resource_type')
        .onRef('m.id', '=', 'c.id'),
    )
    .leftJoin('fhir_resource as r', (join) =>
      join.onRef('r.resource_type', '=', 'c.resource_type').onRef('r.id', '=', 'c.id'),
    )
    .select([
      'c.seq',
      'c.resource_type',
      'c.id',
      'c.version_id',
      'c.changed_at',
      'm.patient_id as member',
      'r.content',
      'r.version_id as current_version',
      'r.last_updated',
    ])
    .where('c.patient_id', '=', patientId)
    .where('c.seq', '>', since)
    .orderBy('c.seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    seq: Number(row.seq),
    resourceType: row.resource_type,
    id: row.id,
    versionId: row.version_id,
    changedAt: row.changed_at,
    ...(row.member && row.content
      ? { resource: withServerMeta(row.content, row.current_version!, row.last_updated!) }
      : {}),
  }));
}

/** The patient's latest sequence number (0 when nothing was ever written for them). */
export async function latestSeq(db: Kysely<Database>, patientId: string): Promise<number> {
  const row = await db
    .selectFrom('fhir_patient_seq')
    .select('seq')
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  return row ? Number(row.seq) : 0;
}
