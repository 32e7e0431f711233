import type { JsonObject } from '../fhir-json/references.js';

/**
 * The stored form of a resource: JSON text with `resourceType`, `id` and `meta` first and without the server-managed
 * meta.versionId / meta.lastUpdated, so the same content always gives the same text (change detection is a string
 * comparison) and an exported-then-reimported resource compares equal.
 */
export function canonicalContent(resource: JsonObject): string {
  const { resourceType, id, meta, ...rest } = resource;
  const out: JsonObject = { resourceType: resourceType!, id: id! };
  if (meta && typeof meta === 'object' && !Array.isArray(meta)) {
    const { versionId: _v, lastUpdated: _l, ...keep } = meta;
    if (Object.keys(keep).length > 0) out.meta = keep;
  }
  return JSON.stringify({ ...out, ...rest }); // spread, not Object.assign: a "__proto__" key stays plain data
}

/** Puts the server-managed meta back: what a reader or an export sees. */
export function withServerMeta(content: string, versionId: number, lastUpdated: string): JsonObject {
  const { resourceType, id, meta, ...rest } = JSON.parse(content) as JsonObject;
  const fullMeta = { ...(meta as JsonObject | undefined), versionId: String(versionId), lastUpdated };
  return { resourceType: resourceType!, id: id!, meta: fullMeta, ...rest };
}
