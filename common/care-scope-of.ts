import type { CareScope } from './caregiver-consent.js';

// Which part of a patient's record a caregiver's scope opens ([3/11]): the record feed gives a caregiver only the
// resources their scopes cover. The patient always gets everything. Pure, so the page can say the same.

export interface ScopeContext {
  /** Ids of the Binary resources that are attachments of the patient's messages (the rest are documents). */
  messageAttachments?: ReadonlySet<string>;
}

/** What a resource is for: a refill request is a Task whose focus is the prescription. */
function isRefillTask(resource: unknown): boolean {
  const ref = (resource as { focus?: { reference?: unknown } } | undefined)?.focus?.reference;
  return typeof ref === 'string' && ref.startsWith('MedicationRequest/');
}

/**
 * The scope a resource belongs to, or `always` for what every caregiver of the patient sees (the Patient resource:
 * name and birth date, which the switcher shows). Everything clinical, and any type not named here, belongs to
 * `records`: a new kind of data is never shown by default to someone allowed only messages.
 * - Appointment (booked, proposed = a request, cancelled) → appointments
 * - Communication (a secure message) and the Binary holding a message's attachment → messages
 * - Task whose focus is a MedicationRequest (a refill request) → refills; other Tasks → records
 * - MedicationRequest, Medication → records (but also shown with `refills`: see `shownWith`)
 * - Observation, DiagnosticReport, Condition, AllergyIntolerance, Immunization, Encounter, DocumentReference,
 *   Procedure, CareTeam, … and a Binary that is not a message attachment (a document's content) → records
 * Without `resource` (a deletion, which carries only type and id) a Task counts as a refill request.
 */
export function scopeOfResource(
  resourceType: string,
  resource?: unknown,
  context: ScopeContext = {},
): CareScope | 'always' {
  switch (resourceType) {
    case 'Patient':
      return 'always';
    case 'Appointment':
      return 'appointments';
    case 'Communication':
      return 'messages';
    case 'Task':
      return resource === undefined || isRefillTask(resource) ? 'refills' : 'records';
    case 'Binary': {
      const id = (resource as { id?: unknown } | undefined)?.id;
      return typeof id === 'string' && context.messageAttachments?.has(id) ? 'messages' : 'records';
    }
    default:
      return 'records';
  }
}

/**
 * Prescriptions are part of the record, and also what a caregiver allowed to request refills sees (the consent
 * text: "They see your current prescriptions"): without them there is nothing to ask a refill of.
 */
const ALSO_WITH: Partial<Record<string, CareScope>> = { MedicationRequest: 'refills', Medication: 'refills' };

/** Whether a caregiver holding `scopes` is given this resource in the feed. */
export function shownWith(
  scopes: readonly CareScope[],
  resourceType: string,
  resource?: unknown,
  context: ScopeContext = {},
): boolean {
  const scope = scopeOfResource(resourceType, resource, context);
  if (scope === 'always' || scopes.includes(scope)) return true;
  const also = ALSO_WITH[resourceType];
  return also !== undefined && scopes.includes(also);
}
