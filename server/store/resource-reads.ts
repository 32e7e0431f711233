import type { Kysely } from 'kysely';
import { withServerMeta } from './resource-content.js';
import type { StoredResource } from './resources.js';
import type { Database } from './schema.js';

type Row = { resource_type: string; id: string; version_id: number; last_updated: string; content: string };

function toStored(row: Row): StoredResource {
  return {
    resourceType: row.resource_type,
    id: row.id,
    versionId: row.version_id,
    lastUpdated: row.last_updated,
    resource: withServerMeta(row.content, row.version_id, row.last_updated),
  };
}

const COLUMNS = ['resource_type', 'id', 'version_id', 'last_updated', 'content'] as const;

/** One resource by type and id, or undefined. */
export async function getResource(
  db: Kysely<Database>,
  resourceType: string,
  id: string,
): Promise<StoredResource | undefined> {
  const row = await db
    .selectFrom('fhir_resource')
    .select(COLUMNS)
    .where('resource_type', '=', resourceType)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toStored(row);
}

/** Several resources of one type by id (those that exist), in no particular order. */
export async function getResources(
  db: Kysely<Database>,
  resourceType: string,
  ids: string[],
): Promise<StoredResource[]> {
  const out: StoredResource[] = [];
  for (let i = 0; i < ids.length; i += 400) {
    const rows = await db
      .selectFrom('fhir_resource')
      .select(COLUMNS)
      .where('resource_type', '=', resourceType)
      .where('id', 'in', ids.slice(i, i + 400))
      .execute();
    out.push(...rows.map(toStored));
  }
  return out;
}

/** Every resource in a patient's compartment (the Patient included), ordered by type then id. */
export async function readCompartment(db: Kysely<Database>, patientId: string): Promise<StoredResource[]> {
  const rows = await db
    .selectFrom('fhir_compartment as m')
    .innerJoin('fhir_resource as r', (join) =>
      join.onRef('r.resource_type', '=', 'm.resource_type').onRef('r.id', '=', 'm.id'),
    )
    .select(['r.resource_type', 'r.id', 'r.version_id', 'r.last_updated', 'r.content'])
    .where('m.patient_id', '=', patientId)
    .orderBy('r.resource_type')
    .orderBy('r.id')
    .execute();
  return rows.map(toStored);
}

/** The resources of one type in a patient's compartment. */
export async function readCompartmentType(
  db: Kysely<Database>,
  patientId: string,
  resourceType: string,
): Promise<StoredResource[]> {
  const rows = await db
    .selectFrom('fhir_compartment as m')
    .innerJoin('fhir_resource as r', (join) =>
      join.onRef('r.resource_type', '=', 'm.resource_type').onRef('r.id', '=', 'm.id'),
    )
    .select(['r.resource_type', 'r.id', 'r.version_id', 'r.last_updated', 'r.content'])
    .where('m.patient_id', '=', patientId)
    .where('m.resource_type', '=', resourceType)
    .execute();
  return rows.map(toStored);
}

/** Ids of resources of a type carrying an identifier with this value (and this system, unless it is undefined). */
export async function findByIdentifier(
  db: Kysely<Database>,
  resourceType: string,
  identifier: { system?: string; value: string },
): Promise<string[]> {
  let query = db
    .selectFrom('fhir_identifier')
    .select('id')
    .where('resource_type', '=', resourceType)
    .where('value', '=', identifier.value);
  if (identifier.system !== undefined) query = query.where('system', '=', identifier.system);
  const rows = await query.distinct().execute();
  return rows.map((r) => r.id).sort();
}

/** Which of these ids exist for the type. */
export async function existingIds(db: Kysely<Database>, resourceType: string, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 400) {
    const rows = await db
      .selectFrom('fhir_resource')
      .select('id')
      .where('resource_type', '=', resourceType)
      .where('id', 'in', ids.slice(i, i + 400))
      .execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** Number of stored resources per type (for summaries and tests). */
export async function countByType(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('fhir_resource')
    .select(['resource_type', (eb) => eb.fn.countAll<string | number>().as('n')])
    .groupBy('resource_type')
    .orderBy('resource_type')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.resource_type, Number(r.n)]));
}

/** Identifier rows of a type whose value is one of `values` (callers filter by system). */
export async function identifierRows(
  db: Kysely<Database>,
  resourceType: string,
  values: string[],
): Promise<{ system: string; value: string; id: string }[]> {
  const out: { system: string; value: string; id: string }[] = [];
  for (let i = 0; i < values.length; i += 400) {
    out.push(
      ...(await db
        .selectFrom('fhir_identifier')
        .select(['system', 'value', 'id'])
        .where('resource_type', '=', resourceType)
        .where('value', 'in', values.slice(i, i + 400))
        .execute()),
    );
  }
  return out;
}
