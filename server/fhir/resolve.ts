import type { Kysely } from 'kysely';
import { addTo } from '../multimap.js';
import type { Database } from '../store/schema.js';
import type { Prepared, PreparedEntry, Rejection } from './prepare.js';
import {
  forEachReference,
  identifiersOf,
  mapReferences,
  parseReference,
  type JsonObject,
  type ParsedReference,
  type ReferenceObject,
} from '../fhir-json/references.js';
import { describeSearch, StoreLookup, toSearch, type Search } from './search.js';

/** An entry ready to store: its references rewritten to `Type/id` of stored resources. */
export interface ResolvedEntry {
  index: number;
  resourceType: string;
  id: string;
  resource: JsonObject;
  /** A conditional create matched an existing resource: nothing is written, references point at that one. */
  alias: boolean;
}

interface Working extends PreparedEntry {
  alias: boolean;
  deps: Set<Working>;
}

/**
 * Resolves the three reference styles of real bundles against the bundle itself and the store:
 * `urn:uuid:…` (an entry's fullUrl), `Type/id` (an entry, resolved against an absolute fullUrl's base first, or a
 * stored resource) and conditional `Type?identifier=system|value` (exactly one match in the bundle or the store).
 * Absolute URLs that are no entry's fullUrl stay as they are (external references); `#id` stays (contained).
 * An entry with a reference that resolves to nothing is rejected, and so is every entry that refers to a rejected one.
 * `prepared` is left as it was (rewrites go into copies), so a retried transaction can run this again.
 */
export async function resolveEntries(
  db: Kysely<Database>,
  prepared: Prepared,
): Promise<{ accepted: ResolvedEntry[]; rejected: Rejection[] }> {
  const rejected = new Map<number, Rejection>(prepared.rejected.map((r) => [r.index, r]));
  const reject = (e: Working, error: string, path?: string) => {
    if (!rejected.has(e.index))
      rejected.set(e.index, { index: e.index, resourceType: e.resourceType, ...(path ? { path } : {}), error });
  };
  const entries: Working[] = prepared.entries.map((e) => ({ ...e, alias: false, deps: new Set() }));
  const lookup = new StoreLookup(db);

  // 1. Conditional creates and updates pick an existing resource's id when exactly one matches.
  const conditions = new Map<Working, Search>();
  for (const e of entries) {
    if (!e.condition) continue;
    const search = toSearch(e.resourceType, e.condition.params);
    if (typeof search === 'string') reject(e, search, `entry[${e.index}].request`);
    else {
      conditions.set(e, search);
      lookup.wantSearch(search);
    }
  }
  await lookup.fetch();
  for (const [e, search] of conditions) {
    const matches = lookup.match(search);
    if (matches.length > 1)
      reject(e, `${describeSearch(search)} matches ${matches.length} stored resources`, `entry[${e.index}].request`);
    else if (matches.length === 1 && matches[0] !== e.id) {
      e.id = matches[0]!;
      e.alias = e.condition!.kind === 'create';
    }
  }
  const live = () => entries.filter((e) => !rejected.has(e.index));
  const byKey = new Map<string, Working>();
  for (const e of live()) {
    const twin = byKey.get(`${e.resourceType}/${e.id}`);
    if (twin)
      reject(e, `it is the same resource (${e.resourceType}/${e.id}) as entry ${twin.index}`, `entry[${e.index}]`);
    else byKey.set(`${e.resourceType}/${e.id}`, e);
  }

  // 2. What the bundle itself holds, by fullUrl, by the ids it uses, and by identifier.
  const byFullUrl = new Map<string, Working>();
  const bySourceKey = new Map<string, Working>();
  const byIdentifier = new Map<string, Working[]>();
  for (const e of live()) {
    if (e.fullUrl) byFullUrl.set(e.fullUrl, e);
    bySourceKey.set(`${e.resourceType}/${e.sourceId ?? e.id}`, e);
    if (!bySourceKey.has(`${e.resourceType}/${e.id}`)) bySourceKey.set(`${e.resourceType}/${e.id}`, e);
    for (const id of identifiersOf(e.resource)) {
      const key = `${e.resourceType}|${id.value}`;
      addTo(byIdentifier, key, e);
      addTo(byIdentifier, `${key}|${id.system}`, e);
    }
  }
  const inBundle = (e: Working, type: string, id: string): Working | undefined => {
    const base = e.fullUrl && /^(.*\/)[A-Z][A-Za-z]+\/[^/]+$/.exec(e.fullUrl)?.[1];
    return (
      (base && /^[a-z][a-z0-9+.-]*:\/\//i.test(base) ? byFullUrl.get(`${base}${type}/${id}`) : undefined) ??
      bySourceKey.get(`${type}/${id}`)
    );
  };
  const searchBundle = (s: Search): Working[] =>
    s.by === 'id'
      ? [bySourceKey.get(`${s.type}/${s.id}`)].filter((x): x is Working => x !== undefined)
      : (byIdentifier.get(`${s.type}|${s.value}${s.system !== undefined ? `|${s.system}` : ''}`) ?? []);

  // 3. What must be looked up in the store (parsed once per distinct reference string).
  const parsedCache = new Map<string, { parsed: ParsedReference; search?: Search | string }>();
  const parse = (reference: string) => {
    let item = parsedCache.get(reference);
    if (!item) {
      const parsed = parseReference(reference);
      item =
        parsed.kind === 'conditional' ? { parsed, search: toSearch(parsed.resourceType, parsed.params) } : { parsed };
      parsedCache.set(reference, item);
    }
    return item;
  };
  for (const e of live()) {
    forEachReference(e.resource, (ref) => {
      const { parsed, search } = parse(ref.reference);
      if (parsed.kind === 'relative' && !inBundle(e, parsed.resourceType, parsed.id))
        lookup.wantId(parsed.resourceType, parsed.id);
      if (search && typeof search !== 'string') lookup.wantSearch(search);
    });
  }
  await lookup.fetch();

  // 4. Resolve, rewriting into a copy (the prepared resource stays as it was, for a retried transaction).
  const lostTarget = (e: Working, target: string, where: string) => {
    const index = prepared.rejectedTargets.get(target);
    if (index !== undefined) reject(e, `it refers to entry ${index}, which could not be loaded`, where);
    return index !== undefined;
  };
  const output = new Map<Working, JsonObject>();
  for (const e of live()) {
    const resolve = (ref: ReferenceObject, path: string): string | undefined => {
      const where = `entry[${e.index}].resource.${path}.reference`;
      const fail = (error: string) => {
        reject(e, error, where);
        return undefined;
      };
      const point = (target: Working) => {
        e.deps.add(target);
        return `${target.resourceType}/${target.id}`;
      };
      const { parsed, search } = parse(ref.reference);
      switch (parsed.kind) {
        case 'contained':
          return undefined;
        case 'invalid':
          return fail(parsed.problem);
        case 'urn':
        case 'absolute': {
          const target = byFullUrl.get(ref.reference);
          if (target) return point(target);
          if (lostTarget(e, ref.reference, where)) return undefined;
          return parsed.kind === 'urn'
            ? fail(`${ref.reference} is not the fullUrl of any entry in this bundle`)
            : undefined;
        }
        case 'relative': {
          const target = inBundle(e, parsed.resourceType, parsed.id);
          if (target) return point(target);
          if (lookup.exists(parsed.resourceType, parsed.id)) return `${parsed.resourceType}/${parsed.id}`;
          if (lostTarget(e, `${parsed.resourceType}/${parsed.id}`, where)) return undefined;
          return fail(`${ref.reference} is neither in this bundle nor stored`);
        }
        case 'conditional': {
          if (typeof search !== 'object') return fail(`${ref.reference}: ${search ?? 'cannot be resolved'}`);
          const local = searchBundle(search);
          const stored = lookup.match(search).filter((id) => !local.some((l) => l.id === id));
          const matches = local.length + stored.length;
          if (matches === 0)
            return fail(
              `${ref.reference} matches nothing in this bundle or the store (import the bundle that holds it first)`,
            );
          if (matches > 1) return fail(`${ref.reference} matches ${matches} resources`);
          return local.length ? point(local[0]!) : `${search.type}/${stored[0]}`;
        }
      }
    };
    output.set(e, mapReferences(e.resource, resolve) as JsonObject);
  }

  // 5. Whoever refers to a rejected entry cannot be stored either (its reference would dangle).
  for (let changed = true; changed;) {
    changed = false;
    for (const e of live()) {
      const lost = [...e.deps].find((d) => rejected.has(d.index));
      if (lost) {
        reject(e, `it refers to entry ${lost.index} (${lost.resourceType}), which could not be loaded`);
        changed = true;
      }
    }
  }

  const accepted = live().map((e) => ({
    index: e.index,
    resourceType: e.resourceType,
    id: e.id,
    resource: { ...output.get(e)!, id: e.id },
    alias: e.alias,
  }));
  return { accepted, rejected: [...rejected.values()].sort((a, b) => a.index - b.index) };
}
