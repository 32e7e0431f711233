import { createHash } from 'node:crypto';
import { entryEnvelope, type ImportableBundleType } from './bundle-input.js';
import { FHIR_ID, identifiersOf, isObject, parseReference, type JsonObject } from '../fhir-json/references.js';
import type { FhirValidator } from './validator.js';

/** One entry that could not be loaded, and why. `path` points into the bundle: `entry[3].resource.status`. */
export interface Rejection {
  index: number;
  resourceType?: string;
  path?: string;
  error: string;
}

/** An entry that passed the checks that need no database: envelope, method, schema, target id. */
export interface PreparedEntry {
  index: number;
  resourceType: string;
  fullUrl?: string;
  /** The id the resource carried in the file, if any (relative references inside the bundle use it). */
  sourceId?: string;
  /** The id it will be stored under. */
  id: string;
  resource: JsonObject;
  /** POST with ifNoneExist, or PUT `Type?search`: the search that may select an existing resource instead. */
  condition?: { kind: 'create' | 'update'; params: [string, string][] };
}

export interface Prepared {
  entries: PreparedEntry[];
  rejected: Rejection[];
  /** fullUrl and `Type/id` of rejected entries → their index: references to them are reported as such. */
  rejectedTargets: Map<string, number>;
}

/**
 * Checks every entry on its own and decides its id. POSTed resources get an id that is stable across imports of the
 * same file: the `urn:uuid`/`urn:oid` of their fullUrl (or the id in an absolute fullUrl, or their own id), else one
 * derived from their first identifier, else from their content. `PUT Type/id` keeps its id. Entries of
 * collection and document bundles keep the id their fullUrl or resource gives them.
 */
export function prepareEntries(
  bundleType: ImportableBundleType,
  entries: unknown[],
  validator: FhirValidator,
): Prepared {
  const prepared: PreparedEntry[] = [];
  const rejected: Rejection[] = [];
  const byKey = new Map<string, number>();
  const byFullUrl = new Map<string, number>();
  const rejectedTargets = new Map<string, number>();
  entries.forEach((raw, index) => {
    const reject = (error: string, path?: string, resourceType?: string) => {
      rejected.push({ index, ...(resourceType ? { resourceType } : {}), ...(path ? { path } : {}), error });
      const entry = isObject(raw) ? raw : {};
      if (typeof entry.fullUrl === 'string' && !byFullUrl.has(entry.fullUrl)) rejectedTargets.set(entry.fullUrl, index);
      const resource = isObject(entry.resource) ? entry.resource : {};
      if (typeof resource.resourceType === 'string' && typeof resource.id === 'string') {
        rejectedTargets.set(`${resource.resourceType}/${resource.id}`, index);
      }
    };
    const envelope = entryEnvelope.safeParse(raw);
    if (!envelope.success) {
      const issue = envelope.error.issues[0]!;
      const where = issue.path.length ? `.${issue.path.map(String).join('.')}` : '';
      return reject(`the entry is not a valid Bundle entry: ${issue.message}`, `entry[${index}]${where}`);
    }
    const { fullUrl, resource, request } = envelope.data;
    const resourceType =
      isObject(resource) && typeof resource.resourceType === 'string' ? resource.resourceType : undefined;
    if (request && !['POST', 'PUT'].includes(request.method)) {
      return reject(
        `request.method ${request.method} is not supported: import only creates and updates`,
        `entry[${index}].request.method`,
        resourceType,
      );
    }
    if (!isObject(resource)) return reject('the entry has no resource', `entry[${index}].resource`);
    const issue = validator.validate(resource);
    if (issue)
      return reject(issue.message, `entry[${index}].resource${issue.path ? `.${issue.path}` : ''}`, resourceType);
    const type = resourceType!;
    const sourceId = typeof resource.id === 'string' ? resource.id : undefined;

    let id: string | undefined;
    let condition: PreparedEntry['condition'];
    if (request?.method === 'PUT') {
      const target = parseReference(request.url);
      if (target.kind === 'relative' && target.resourceType === type) {
        if (sourceId && sourceId !== target.id) {
          return reject(
            `resource.id "${sourceId}" differs from the id in request.url "${request.url}"`,
            `entry[${index}].resource.id`,
            type,
          );
        }
        id = target.id;
      } else if (target.kind === 'conditional' && target.resourceType === type) {
        condition = { kind: 'update', params: target.params };
      } else {
        return reject(
          `request.url "${request.url}" must be ${type}/<id> or ${type}?<search> for a PUT`,
          `entry[${index}].request.url`,
          type,
        );
      }
    } else if (request?.method === 'POST' && request.url.split('?')[0]!.replace(/^.*\//, '') !== type) {
      return reject(
        `request.url "${request.url}" does not match the resource's type ${type}`,
        `entry[${index}].request.url`,
        type,
      );
    } else if (request?.method === 'POST' && request.ifNoneExist) {
      const search = parseReference(`${type}?${request.ifNoneExist}`);
      if (search.kind !== 'conditional')
        return reject(
          `request.ifNoneExist "${request.ifNoneExist}" is not a search`,
          `entry[${index}].request.ifNoneExist`,
          type,
        );
      condition = { kind: 'create', params: search.params };
    }
    id ??= stableId(
      type,
      fullUrl,
      sourceId,
      resource,
      request === undefined || bundleType === 'collection' || bundleType === 'document',
    );
    if (!FHIR_ID.test(id)) return reject(`cannot derive a valid id from "${id}"`, `entry[${index}].fullUrl`, type);

    const key = `${type}/${id}`;
    const twin = byKey.get(key) ?? (fullUrl ? byFullUrl.get(fullUrl) : undefined);
    if (twin !== undefined) return reject(`it is the same resource (${key}) as entry ${twin}`, `entry[${index}]`, type);
    byKey.set(key, index);
    if (fullUrl) byFullUrl.set(fullUrl, index);
    prepared.push({
      index,
      resourceType: type,
      ...(fullUrl ? { fullUrl } : {}),
      ...(sourceId ? { sourceId } : {}),
      id,
      resource,
      ...(condition ? { condition } : {}),
    });
  });
  return { entries: prepared, rejected, rejectedTargets };
}

function stableId(
  type: string,
  fullUrl: string | undefined,
  sourceId: string | undefined,
  resource: JsonObject,
  keepsOwnId: boolean,
): string {
  const urn = fullUrl && /^urn:(uuid|oid):(.+)$/i.exec(fullUrl);
  const absolute = fullUrl ? parseReference(fullUrl) : undefined;
  const fromUrl = absolute?.kind === 'absolute' && absolute.resourceType === type ? absolute.id : undefined;
  if (keepsOwnId) {
    // A collection or document carries resources as they are: their own id wins over a bundle-local urn.
    if (fromUrl) return fromUrl;
    if (sourceId) return sourceId;
    if (urn) return urn[2]!.toLowerCase();
  } else {
    if (urn) return urn[2]!.toLowerCase();
    if (fromUrl) return fromUrl;
    if (sourceId) return sourceId;
  }
  const identifier = identifiersOf(resource)[0];
  const basis = identifier
    ? `identifier|${identifier.system}|${identifier.value}`
    : `content|${JSON.stringify(resource)}`;
  return derivedId(type, basis);
}

/** A UUID-shaped id from a hash (the layout of RFC 9562 version 5): the same input always gives the same id. */
export function derivedId(type: string, basis: string): string {
  const hex = createHash('sha1').update(`${type}|${basis}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
