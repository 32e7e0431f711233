import type { Kysely } from 'kysely';
import { existingIds, identifierRows } from '../store/resource-reads.js';
import type { Database } from '../store/schema.js';

/**
 * The searches import can resolve: `identifier=[system|]value` and `_id=id`, one parameter. Conditional references,
 * ifNoneExist and conditional PUT in real bundles (Synthea, US Core) use exactly these.
 */
export type Search =
  { type: string; by: 'identifier'; system?: string; value: string } | { type: string; by: 'id'; id: string };

/** Turns `Type?params` into a Search, or a sentence saying why it cannot be resolved. */
export function toSearch(type: string, params: [string, string][]): Search | string {
  if (params.length !== 1)
    return `the search "${describeParams(params)}" has ${params.length} parameters; import resolves one identifier or _id`;
  const [name, value] = params[0]!;
  if (name === '_id') return { type, by: 'id', id: value };
  if (name !== 'identifier')
    return `the search parameter "${name}" cannot be resolved by import (only identifier and _id)`;
  const bar = value.indexOf('|');
  if (bar < 0) return value ? { type, by: 'identifier', value } : 'the identifier search has no value';
  const system = value.slice(0, bar);
  const code = value.slice(bar + 1);
  if (!code) return `the identifier search "${value}" has a system but no value`;
  return { type, by: 'identifier', system, value: code };
}

function describeParams(params: [string, string][]): string {
  return params.map(([k, v]) => `${k}=${v}`).join('&');
}

export function describeSearch(search: Search): string {
  return search.by === 'id'
    ? `${search.type}?_id=${search.id}`
    : `${search.type}?identifier=${search.system !== undefined ? `${search.system}|` : ''}${search.value}`;
}

/**
 * Answers "does Type/id exist" and "which ids carry this identifier" against the store, in batches: callers announce
 * what they will ask (`want…`), `fetch()` runs one query per type and chunk, then the answers are synchronous.
 */
export class StoreLookup {
  private readonly wantedIds = new Map<string, Set<string>>();
  private readonly wantedValues = new Map<string, Set<string>>();
  private readonly found = new Map<string, Set<string>>();
  private readonly identifiers = new Map<string, { system: string; id: string }[]>();

  constructor(private readonly db: Kysely<Database>) {}

  wantId(type: string, id: string): void {
    if (!this.wantedIds.has(type)) this.wantedIds.set(type, new Set());
    this.wantedIds.get(type)!.add(id);
  }

  wantSearch(search: Search): void {
    if (search.by === 'id') return this.wantId(search.type, search.id);
    if (!this.wantedValues.has(search.type)) this.wantedValues.set(search.type, new Set());
    this.wantedValues.get(search.type)!.add(search.value);
  }

  async fetch(): Promise<void> {
    for (const [type, ids] of this.wantedIds) {
      const exists = await existingIds(this.db, type, [...ids]);
      for (const id of exists) this.foundSet(type).add(id);
    }
    this.wantedIds.clear();
    for (const [type, values] of this.wantedValues) {
      for (const row of await identifierRows(this.db, type, [...values])) {
        const key = `${type}|${row.value}`;
        if (!this.identifiers.has(key)) this.identifiers.set(key, []);
        this.identifiers.get(key)!.push({ system: row.system, id: row.id });
      }
    }
    this.wantedValues.clear();
  }

  exists(type: string, id: string): boolean {
    return this.found.get(type)?.has(id) ?? false;
  }

  /** Stored ids matching the search, sorted and unique. */
  match(search: Search): string[] {
    if (search.by === 'id') return this.exists(search.type, search.id) ? [search.id] : [];
    const rows = this.identifiers.get(`${search.type}|${search.value}`) ?? [];
    const ids = rows.filter((r) => search.system === undefined || r.system === search.system).map((r) => r.id);
    return [...new Set(ids)].sort();
  }

  private foundSet(type: string): Set<string> {
    if (!this.found.has(type)) this.found.set(type, new Set());
    return this.found.get(type)!;
  }
}
