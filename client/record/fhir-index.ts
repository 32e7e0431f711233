/**
 * What the local database may index of a FHIR resource in the clear ([5/8]): its type, id, and the one date that
 * orders it in the views; plus the code it is grouped by (a test's LOINC code), which is stored only as an opaque
 * HMAC (vault-crypto.ts). Everything else is inside the ciphertext.
 */
type Json = Record<string, any>;

/** The date a resource is shown and sorted by, as an ISO string ('' when it has none). */
export function resourceDate(r: Json): string {
  const candidates = [
    r.effectiveDateTime,
    r.effectivePeriod?.start,
    r.issued,
    r.period?.start,
    r.authoredOn,
    r.occurrenceDateTime,
    r.performedDateTime,
    r.performedPeriod?.start,
    r.recordedDate,
    r.onsetDateTime,
    r.date,
    r.created,
    r.sent,
    r.start,
    r.meta?.lastUpdated,
  ];
  const found = candidates.find((v) => typeof v === 'string' && v.length >= 4);
  return found ?? '';
}

/** The code a resource is grouped by: the first coding of `code` (or medication / vaccine), as `system|code`. */
export function resourceCode(r: Json): string {
  const concept = r.code ?? r.medicationCodeableConcept ?? r.vaccineCode ?? r.type;
  const coding = Array.isArray(concept) ? concept[0]?.coding?.[0] : concept?.coding?.[0];
  if (coding?.code) return `${coding.system ?? ''}|${coding.code}`;
  return typeof concept?.text === 'string' ? `text|${concept.text.toLowerCase()}` : '';
}
