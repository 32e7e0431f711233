import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import Ajv, { type ValidateFunction } from 'ajv';
import { SHARED_FHIR, type BundleJson } from './fhir-data.js';
import type { AnyResource } from '../../common/fhir-export/references.js';

// For tests and benchmarks of the exports ([4/11]): the official FHIR R4 JSON schema beside the project, and the
// shared Synthea patients as the device's local record holds them.

/** The official schema, compiled with ajv: draft-06, its old `id` keyword read as `$id` (shared/fhir/README.md). */
export function bundleSchemaValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(SHARED_FHIR, 'schema', 'fhir.schema.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  if (schema.$schema !== 'http://json-schema.org/draft-06/schema#') throw new Error('expected the draft-06 schema');
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-06.json') as object);
  return ajv.compile(schema);
}

/**
 * The patient's resources as the local record holds them after a sync: the server imported the transaction
 * Bundle, so a reference to another entry reads `Type/id` (a conditional one, into ../shared/fhir/support, stays).
 */
export function asStored(bundle: BundleJson): AnyResource[] {
  const byUrl = new Map(bundle.entry.map((e) => [e.fullUrl, `${e.resource.resourceType}/${e.resource.id}`]));
  const text = JSON.stringify(bundle.entry.map((e) => e.resource));
  return JSON.parse(
    text.replace(/"reference":"(urn:uuid:[^"]+)"/g, (m, urn: string) =>
      byUrl.has(urn) ? `"reference":"${byUrl.get(urn)}"` : m,
    ),
  ) as AnyResource[];
}
