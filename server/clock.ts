import { readFileSync } from 'node:fs';

/** The seam for time: production uses the system clock, tests pass a clock they move by hand. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Tests only (TEST_CLOCK_FILE; config.ts refuses it outside NODE_ENV=test on localhost): the system clock moved by
 * the whole number of milliseconds written in `file` (may be negative). The file is read at every `now()`, so an
 * end-to-end test moves the running server's time by rewriting it (atomically: write another file, rename it over).
 */
export function offsetFileClock(file: string): Clock {
  return { now: () => new Date(Date.now() + readClockOffset(file)) };
}

/** The offset in `file`; throws, naming the file, when it is missing or holds anything but a whole number. */
export function readClockOffset(file: string): number {
  const raw = readFileSync(file, 'utf8').trim();
  if (!/^-?\d{1,15}$/.test(raw))
    throw new Error(`${file} must hold a whole number of milliseconds; it holds "${raw.slice(0, 40)}"`);
  return Number(raw);
}
