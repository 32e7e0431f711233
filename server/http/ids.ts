import { z } from 'zod';
import { ApiError } from '../errors.js';

/** A FHIR id (R4: `[A-Za-z0-9\-.]{1,64}`): anything else (a NUL, a slash) is refused before it reaches a query. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
export const fhirId = (message = 'This is not a valid id.') => z.string().trim().regex(FHIR_ID, message);

/** A path's id: one that cannot be an id is answered like a missing thing (404), never passed to the database. */
export function pathId(value: string | undefined, notFound: string): string {
  if (!value || !FHIR_ID.test(value)) throw new ApiError(404, 'not_found', notFound);
  return value;
}
