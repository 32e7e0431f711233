/**
 * Answers that must not reveal whether an account or record exists (sign-up, forgot password) all leave at the same
 * moment after the request started, so the work done on one path and not the other does not show in the timing.
 */

/** Longer than the slowest neutral path (one argon2id hash, a few reads and writes). */
export const NEUTRAL_REPLY_MS = 400;

export function sleepUntil(deadline: number): Promise<void> {
  const wait = deadline - performance.now();
  return wait > 0 ? new Promise((r) => setTimeout(r, wait)) : Promise.resolve();
}
