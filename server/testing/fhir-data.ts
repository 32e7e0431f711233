import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject } from '../fhir-json/references.js';

/**
 * The synthetic patient data beside the project (../shared/fhir), read by tests only: the server never reads it.
 * See shared/fhir/README.md for what each file is.
 */
export const SHARED_FHIR = join(process.cwd(), '..', 'shared', 'fhir');

export function sharedFiles(folder: 'patients' | 'support' | 'ips'): string[] {
  return readdirSync(join(SHARED_FHIR, folder))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(SHARED_FHIR, folder, f));
}

export interface BundleJson extends JsonObject {
  entry: ({ fullUrl?: string; resource: JsonObject; request?: { method: string; url: string } } & JsonObject)[];
}

export function readJson(file: string): BundleJson {
  return JSON.parse(readFileSync(file, 'utf8')) as BundleJson;
}

/** Entries per resource type in a bundle. */
export function countEntries(bundle: BundleJson): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of bundle.entry)
    counts[e.resource.resourceType as string] = (counts[e.resource.resourceType as string] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** A resource without the server-managed meta fields (and without an emptied meta). */
export function withoutServerMeta(resource: JsonObject): JsonObject {
  const { meta, ...rest } = resource;
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return rest;
  const { versionId: _v, lastUpdated: _l, ...keep } = meta;
  return Object.keys(keep).length ? { ...rest, meta: keep } : rest;
}
