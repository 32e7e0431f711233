import type { Kysely } from 'kysely';
import { addTo } from '../multimap.js';
import type { Database } from '../store/schema.js';
import type { Prepared, PreparedEntry, Rejection } from './prepare.js';
import { forEachReference, identifiersOf, parseReference, type JsonObject, type ParsedReference } from './references.js';
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

interface Found {
  ref: JsonObject & { reference: string };
  path: string;
  parsed: ParsedReference;
  search?: Search | string;
}

/**
 * Resolves the three reference styles of real bundles against the bundle itself and the store:
 * `urn:uuid:…` (an entry's fullUrl), `Type/id` (an entry, resolved against an absolute fullUrl's base first, or a
 * stored resource) and conditional `Type?identifier=system|value` (exactly one match in the bundle or the store).
 * Absolute URLs that are no entry's fullUrl stay as they are (external references); `#id` stays (contained).
 * An entry with a reference that resolves to nothing is rejected, and so is every entry that refers to a rejected one.
 * Works on copies: `prepared` is left as it was, so a retried transaction can run this again.
 */
export async function resolveEntries(
  db: Kysely<Database>,
  prepared: Prepared,
): Promise<{ accepted: ResolvedEntry[]; rejected: Rejection[] }> {
  const rejected = new Map<number, Rejection>(prepared.rejected.map((r) => [r.index, r]));
  const reject = (e: Working, error: string, path?: string) => {
    if (!rejected.has(e.index)) rejected.set(e.index, { index: e.index, resourceType: e.resourceType, ...(path ? { path } : {}), error });
  };
  const entries: Working[] = prepared.entries.map((e) => ({ ...e, resource: structuredClone(e.resource), alias: false, deps: new Set() }));
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
    if (matches.length > 1) reject(e, `${describeSearch(search)} matches ${matches.length} stored resources`, `entry[${e.index}].request`);
    else if (matches.length === 1 && matches[0] !== e.id) {
      e.id = matches[0]!;
      e.alias = e.condition!.kind === 'create';
    }
  }
  const live = () => entries.filter((e) => !rejected.has(e.index));
  const byKey = new Map<string, Working>();
  for (const e of live()) {
    const twin = byKey.get(`${e.resourceType}/${e.id}`);
    if (twin) reject(e, `it is the same resource (${e.resourceType}/${e.id}) as entry ${twin.index}`, `entry[${e.index}]`);
    else byKey.set(`${e.resourceType}/${e.id}`, e);
  }

  // 2. What the bundle itself holds, by fullUrl, by the ids it uses, and by identifier.
  const byFullUrl = new Map<string, Working>();
  const bySourceKey = new Map<string, Working>();
  const byIdentifier = new Map<string, Working[]>();
  for (const e of live()) {
    if (e.fullUrl) byFullUrl.set(e.fullUrl, e);
    bySourceKey.set(`${e.resourceType}/${e.sourceId ?? e.id}`, e);
    for (const id of identifiersOf(e.resource)) {
      const key = `${e.resourceType}|${id.value}`;
      addTo(byIdentifier, key, e);
      addTo(byIdentifier, `${key}|${id.system}`, e);
    }
  }
  const inBundle = (e: Working, type: string, id: string): Working | undefined => {
    const base = e.fullUrl && /^(.*\/)[A-Z][A-Za-z]+\/[^/]+$/.exec(e.fullUrl)?.[1];
    return (base && /^[a-z][a-z0-9+.-]*:\/\//i.test(base) ? byFullUrl.get(`${base}${type}/${id}`) : undefined) ?? bySourceKey.get(`${type}/${id}`);
  };
  const searchBundle = (s: Search): Working[] =>
    s.by === 'id'
      ? [bySourceKey.get(`${s.type}/${s.id}`)].filter((x): x is Working => x !== undefined)
      : byIdentifier.get(`${s.type}|${s.value}${s.system !== undefined ? `|${s.system}` : ''}`) ?? [];

  // 3. Every reference, and what must be looked up in the store.
  const refs = new Map<Working, Found[]>();
  for (const e of live()) {
    const found: Found[] = [];
    forEachReference(e.resource, (ref, path) => {
      const parsed = parseReference(ref.reference);
      const item: Found = { ref, path, parsed };
      if (parsed.kind === 'relative' && !inBundle(e, parsed.resourceType, parsed.id)) lookup.wantId(parsed.resourceType, parsed.id);
      if (parsed.kind === 'conditional') {
        item.search = toSearch(parsed.resourceType, parsed.params);
        if (typeof item.search !== 'string') lookup.wantSearch(item.search);
      }
      found.push(item);
    });
    refs.set(e, found);
  }
  await lookup.fetch();

  // 4. Resolve and rewrite.
  const lostTarget = (e: Working, target: string, where: string) => {
    const index = prepared.rejectedTargets.get(target);
    if (index !== undefined) reject(e, `it refers to entry ${index}, which could not be loaded`, where);
    return index !== undefined;
  };
  for (const [e, found] of refs) {
    for (const { ref, path, parsed, search } of found) {
      const where = `entry[${e.index}].resource.${path}.reference`;
      const point = (target: Working) => {
        e.deps.add(target);
        ref.reference = `${target.resourceType}/${target.id}`;
      };
      if (parsed.kind === 'contained') continue;
      if (parsed.kind === 'invalid') {
        reject(e, parsed.problem, where);
        break;
      }
      if (parsed.kind === 'urn' || parsed.kind === 'absolute') {
        const target = byFullUrl.get(ref.reference);
        if (target) point(target);
        else if (lostTarget(e, ref.reference, where)) break;
        else if (parsed.kind === 'urn') {
          reject(e, `${ref.reference} is not the fullUrl of any entry in this bundle`, where);
          break;
        }
        continue;
      }
      if (parsed.kind === 'relative') {
        const target = inBundle(e, parsed.resourceType, parsed.id);
        if (target) point(target);
        else if (lookup.exists(parsed.resourceType, parsed.id)) ref.reference = `${parsed.resourceType}/${parsed.id}`;
        else if (lostTarget(e, `${parsed.resourceType}/${parsed.id}`, where)) break;
        else {
          reject(e, `${ref.reference} is neither in this bundle nor stored`, where);
          break;
        }
        continue;
      }
      if (typeof search === 'string' || !search) {
        reject(e, `${ref.reference}: ${search ?? 'cannot be resolved'}`, where);
        break;
      }
      const local = searchBundle(search);
      const stored = lookup.match(search).filter((id) => !local.some((l) => l.id === id));
      if (local.length + stored.length !== 1) {
        const problem = local.length + stored.length === 0 ? 'matches nothing in this bundle or the store (import the bundle that holds it first)' : `matches ${local.length + stored.length} resources`;
        reject(e, `${ref.reference} ${problem}`, where);
        break;
      }
      if (local.length) point(local[0]!);
      else ref.reference = `${search.type}/${stored[0]}`;
    }
  }

  // 5. Whoever refers to a rejected entry cannot be stored either (its reference would dangle).
  for (let changed = true; changed; ) {
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
    resource: { ...e.resource, id: e.id },
    alias: e.alias,
  }));
  return { accepted, rejected: [...rejected.values()].sort((a, b) => a.index - b.index) };
}
