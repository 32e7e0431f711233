/**
 * Walking FHIR JSON for references and identifiers. A reference is any object with a string `reference` (the
 * Reference datatype, wherever it sits: elements, extensions, contained resources). Pure functions over plain JSON.
 * Below both store/ (compartments, identifiers of what it stores) and fhir/ (import, export), which builds on the store.
 */

/** A FHIR logical id: https://hl7.org/fhir/R4/datatypes.html#id */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A Reference object: anything with a string `reference`. */
export type ReferenceObject = JsonObject & { reference: string };

/**
 * Calls `visit` for every Reference in `value`, with its JSON path (e.g. `subject`, `result[2]`). Nested Bundle
 * resources are not entered: their references are relative to their own entries.
 */
export function forEachReference(value: Json, visit: (ref: ReferenceObject, path: string) => void): void {
  mapReferences(value, (ref, path) => {
    visit(ref, path);
    return undefined;
  });
}

/**
 * A copy of `value` in which each Reference gets the string `replace` returns for it (undefined keeps it). Only the
 * objects on the way to a changed reference are copied; when nothing changes, `value` itself is returned.
 */
export function mapReferences(
  value: Json,
  replace: (ref: ReferenceObject, path: string) => string | undefined,
  path = '',
): Json {
  if (Array.isArray(value)) {
    let out: Json[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i]!;
      const mapped = typeof item === 'object' && item !== null ? mapReferences(item, replace, `${path}[${i}]`) : item;
      if (mapped !== item) (out ??= value.slice())[i] = mapped;
    }
    return out ?? value;
  }
  if (!isObject(value) || (path !== '' && value.resourceType === 'Bundle')) return value;
  let out: JsonObject | undefined;
  if (typeof value.reference === 'string') {
    const next = replace(value as ReferenceObject, path);
    if (next !== undefined && next !== value.reference) out = { ...value, reference: next };
  }
  for (const key of Object.keys(value)) {
    const child = value[key]!;
    if (typeof child !== 'object' || child === null) continue;
    const mapped = mapReferences(child, replace, path ? `${path}.${key}` : key);
    if (mapped !== child) (out ??= { ...value })[key] = mapped;
  }
  return out ?? value;
}

/** The Patient compartments a stored resource belongs to: every `Patient/<id>` it refers to, and itself if a Patient. */
export function compartmentsOf(resource: JsonObject): string[] {
  const patients = new Set<string>();
  if (resource.resourceType === 'Patient' && typeof resource.id === 'string') patients.add(resource.id);
  forEachReference(resource, (ref) => {
    const match = /^Patient\/([A-Za-z0-9\-.]{1,64})(\/_history\/.*)?$/.exec(ref.reference);
    if (match) patients.add(match[1]!);
  });
  return [...patients].sort();
}

export interface BusinessIdentifier {
  system: string;
  value: string;
}

/** The resource's own business identifiers (`identifier`, one or many), with '' for a missing system. */
export function identifiersOf(resource: JsonObject): BusinessIdentifier[] {
  const raw = resource.identifier;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const seen = new Map<string, BusinessIdentifier>();
  for (const item of list) {
    if (!isObject(item) || typeof item.value !== 'string' || item.value === '') continue;
    const system = typeof item.system === 'string' ? item.system : '';
    seen.set(`${system}|${item.value}`, { system, value: item.value });
  }
  return [...seen.values()];
}

/** The `Type/id` targets a stored resource refers to (relative references only). */
export function relativeTargetsOf(resource: JsonObject): string[] {
  const targets = new Set<string>();
  forEachReference(resource, (ref) => {
    const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/.*)?$/.exec(ref.reference);
    if (match) targets.add(`${match[1]}/${match[2]}`);
  });
  return [...targets];
}

export type ParsedReference =
  | { kind: 'relative'; resourceType: string; id: string }
  | { kind: 'absolute'; url: string; resourceType?: string; id?: string }
  | { kind: 'urn'; urn: string }
  | { kind: 'conditional'; resourceType: string; params: [string, string][] }
  | { kind: 'contained'; id: string }
  | { kind: 'invalid'; problem: string };

/** Classifies a reference string into the styles found in real bundles (https://hl7.org/fhir/R4/references.html). */
export function parseReference(reference: string): ParsedReference {
  if (reference.startsWith('#')) return { kind: 'contained', id: reference.slice(1) };
  if (/^urn:(uuid|oid):\S+$/.test(reference)) return { kind: 'urn', urn: reference };
  const conditional = /^([A-Z][A-Za-z]+)\?(.+)$/.exec(reference);
  if (conditional) {
    const params: [string, string][] = [];
    for (const pair of conditional[2]!.split('&')) {
      const at = pair.indexOf('=');
      if (at <= 0) return { kind: 'invalid', problem: `"${reference}" has a search parameter without a value` };
      try {
        params.push([decodeURIComponent(pair.slice(0, at)), decodeURIComponent(pair.slice(at + 1))]);
      } catch {
        return { kind: 'invalid', problem: `"${reference}" is not correctly URL-encoded` };
      }
    }
    return { kind: 'conditional', resourceType: conditional[1]!, params };
  }
  const relative = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(reference);
  if (relative) return { kind: 'relative', resourceType: relative[1]!, id: relative[2]! };
  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(reference)) {
    const tail = /\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(reference);
    return tail
      ? { kind: 'absolute', url: reference, resourceType: tail[1]!, id: tail[2]! }
      : { kind: 'absolute', url: reference };
  }
  return { kind: 'invalid', problem: `"${reference}" is not a reference this importer understands` };
}
