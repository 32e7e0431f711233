// References inside an exported Bundle ([4/11], "For another clinic"): every entry gets a `urn:uuid:` fullUrl and
// every reference to a resource in the bundle is rewritten to it, so the file stands on its own at a clinic that has
// never heard of this portal's ids (FHIR R4 Bundle §2.36.4, "Resolving references in Bundles"). Pure: shared by the
// page (its worker) and the server's tests.

/** A FHIR resource as JSON: only `resourceType` and `id` are relied on. */
export interface AnyResource {
  resourceType: string;
  id?: string;
  [key: string]: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `Type/id` of a resource, the key references are looked up by. */
export const keyOf = (r: AnyResource) => `${r.resourceType}/${r.id ?? ''}`;

/**
 * A `urn:uuid:` for each resource: its own id when that is already a UUID used once in the set (Synthea's, and
 * the IPS examples' habit: fullUrl and id agree), else a new one from `newId` (the caller's seam for randomness).
 */
export function urnsFor(resources: readonly AnyResource[], newId: () => string): Map<string, string> {
  const seen = new Map<string, number>();
  for (const r of resources) if (r.id) seen.set(r.id.toLowerCase(), (seen.get(r.id.toLowerCase()) ?? 0) + 1);
  const urns = new Map<string, string>();
  for (const r of resources) {
    const key = keyOf(r);
    if (urns.has(key)) continue;
    const own = r.id && UUID.test(r.id) && seen.get(r.id.toLowerCase()) === 1;
    urns.set(key, `urn:uuid:${own ? r.id!.toLowerCase() : newId()}`);
  }
  return urns;
}

/** What to do with a reference to something the bundle does not hold. */
export type Unresolved = 'keep' | 'drop';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `Patient/1`, `https://x/fhir/Patient/1`, `Patient/1/_history/2` → `Patient/1`; anything else → undefined. */
function relativeKey(reference: string): string | undefined {
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/**
 * A deep copy of `value` with references to resources in `urns` rewritten to their `urn:uuid:`, attachments'
 * `Binary/…` urls too. A reference to anything else is kept as it is (`keep`: the whole record says what it
 * pointed at) or, for a document that must resolve within itself (`drop`), reduced to its display text, or
 * removed when that leaves nothing (an element with no content is not allowed: FHIR R4 ele-1).
 */
export function rewrite<T>(value: T, urns: ReadonlyMap<string, string>, unresolved: Unresolved): T {
  return copy(value, urns, unresolved) as T;
}

const GONE = Symbol('gone');

function copy(value: unknown, urns: ReadonlyMap<string, string>, unresolved: Unresolved): unknown {
  if (Array.isArray(value)) {
    const out = value.map((v) => copy(v, urns, unresolved)).filter((v) => v !== GONE);
    return out.length ? out : GONE;
  }
  if (!isObject(value)) return value;
  // What becomes of a reference, decided before the copy is made: no `delete` afterwards (it would leave the
  // copy a slow dictionary-mode object, which serializes several times slower).
  let reference: string | undefined;
  if (typeof value.reference === 'string') {
    const urn = value.reference.startsWith('urn:') ? undefined : urns.get(relativeKey(value.reference) ?? '');
    const drop = !urn && unresolved === 'drop' && !value.reference.startsWith('#');
    if (drop && !('display' in value || 'identifier' in value)) return GONE;
    reference = drop ? undefined : (urn ?? value.reference);
  }
  // An attachment's content held in the record as a Binary (DocumentReference.content.attachment.url).
  const binary =
    typeof value.url === 'string' && value.url.startsWith('Binary/') && ('contentType' in value || 'data' in value)
      ? urns.get(value.url)
      : undefined;
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const k in value) {
    const v = value[k];
    let c: unknown;
    if (k === 'reference' && typeof v === 'string') c = reference ?? GONE;
    else if (k === 'url' && binary) c = binary;
    // A resource's narrative is XHTML: left as it is (its links are not references).
    else if (k === 'div' && typeof v === 'string') c = v;
    else c = copy(v, urns, unresolved);
    if (c !== GONE) {
      out[k] = c;
      empty = false;
    }
  }
  return empty ? GONE : out;
}

/** The `Type/id` keys of resources `resource` refers to (literal references and attachments' Binary urls). */
export function targetsOf(resource: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isObject(v)) return;
    if (typeof v.reference === 'string') {
      const key = relativeKey(v.reference);
      if (key) found.add(key);
    }
    if (typeof v.url === 'string' && v.url.startsWith('Binary/')) found.add(v.url);
    for (const [k, inner] of Object.entries(v)) if (k !== 'div') walk(inner);
  };
  walk(resource);
  return found;
}
