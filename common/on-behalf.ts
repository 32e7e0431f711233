// Acting on behalf ([3/11]): what a caregiver writes for a patient (a message, a refill request, an appointment
// request, booking or cancellation) stays in the patient's record and names the caregiver with this extension, so
// the care team and the patient see "sent by <caregiver> for <patient>". One reader for every resource type.

/**
 * The extension's path under the clinic's public origin, like the project's other FHIR URLs
 * (`<origin>/fhir/visit-types`, `<origin>/fhir/departments`): `<origin>/fhir/StructureDefinition/on-behalf-of`.
 */
export const ON_BEHALF_OF_PATH = '/fhir/StructureDefinition/on-behalf-of';

/** The extension URL for a clinic at `origin` (its public origin, no trailing slash). */
export function onBehalfOfUrl(origin: string): string {
  return `${origin}${ON_BEHALF_OF_PATH}`;
}

/** Who acted for the patient: the caregiver's name (as their account shows it) and their account, when known. */
export interface OnBehalf {
  name: string;
  accountId?: string;
}

interface ExtensionLike {
  url?: unknown;
  valueReference?: { display?: unknown; identifier?: { value?: unknown } };
}

/**
 * The extension itself: `valueReference` to the caregiver as a display-only RelatedPerson (their name; their portal
 * account as an identifier), which FHIR R4 allows without a stored RelatedPerson resource.
 */
export function onBehalfOfExtension(origin: string, by: OnBehalf) {
  return {
    url: onBehalfOfUrl(origin),
    valueReference: {
      type: 'RelatedPerson',
      display: by.name,
      ...(by.accountId ? { identifier: { system: `${origin}/fhir/accounts`, value: by.accountId } } : {}),
    },
  };
}

/** A copy of `resource` with the extension added (an older one of ours replaced). */
export function withOnBehalfOf<T extends { extension?: unknown[] }>(resource: T, origin: string, by: OnBehalf): T {
  const others = (resource.extension ?? []).filter(
    (e) =>
      !(typeof (e as ExtensionLike).url === 'string' && String((e as ExtensionLike).url).endsWith(ON_BEHALF_OF_PATH)),
  );
  return { ...resource, extension: [...others, onBehalfOfExtension(origin, by)] };
}

/**
 * Who sent or made `resource` for the patient, if a caregiver did; undefined when the patient (or the care team)
 * did. Matches the extension by its path, so the reader needs no origin (the page and the server both use it).
 */
export function onBehalfOf(resource: unknown): OnBehalf | undefined {
  const list = (resource as { extension?: unknown } | null | undefined)?.extension;
  if (!Array.isArray(list)) return undefined;
  for (const e of list as ExtensionLike[]) {
    if (typeof e?.url !== 'string' || !e.url.endsWith(ON_BEHALF_OF_PATH)) continue;
    const name = e.valueReference?.display;
    if (typeof name !== 'string' || !name) continue;
    const accountId = e.valueReference?.identifier?.value;
    return typeof accountId === 'string' && accountId ? { name, accountId } : { name };
  }
  return undefined;
}

/** What the care team's lists add for something a caregiver wrote: `sentBy: { name }` ("sent by … for …"), else nothing. */
export function sentByOf(resource: unknown): { sentBy?: { name: string } } {
  const by = onBehalfOf(resource);
  return by ? { sentBy: { name: by.name } } : {};
}
