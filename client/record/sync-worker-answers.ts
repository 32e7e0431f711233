/** Said by the sync worker when the access to another person's record has ended (the page deletes that copy). */
export const ACCESS_ENDED = 'access-ended';
