import { createHash } from 'node:crypto';

/** One audit entry as it is hashed: who, acting for whom, what, when, from where, outcome. */
export interface AuditFields {
  seq: number;
  at: string;
  actor: string | null;
  onBehalfOf: string | null;
  action: string;
  target: string | null;
  outcome: string;
  ip: string | null;
  detail: string | null;
}

/** The hash before the first entry. */
export const GENESIS = '0'.repeat(64);

/**
 * hash(n) = SHA-256(hash(n-1) ‖ canonical JSON of entry n). Changing, removing or reordering any entry changes every
 * hash after it, so tampering is detectable by re-walking the chain (append-only audit log, HIPAA 164.312(b)).
 * The JSON is canonical: fixed key order, so the same entry always hashes the same on any database.
 */
export function entryHash(previous: string, e: AuditFields): string {
  const canonical = JSON.stringify([e.seq, e.at, e.actor, e.onBehalfOf, e.action, e.target, e.outcome, e.ip, e.detail]);
  return createHash('sha256').update(previous).update('\n').update(canonical).digest('hex');
}

export type ChainVerdict = { ok: true; entries: number } | { ok: false; brokenAt: number; reason: string };

/** Walks entries in order and reports the first one whose sequence or hash does not follow from the one before. */
export function verifyChain(entries: Iterable<AuditFields & { hash: string }>): ChainVerdict {
  let previous = GENESIS;
  let expectedSeq = 1;
  let count = 0;
  for (const e of entries) {
    if (e.seq !== expectedSeq)
      return { ok: false, brokenAt: e.seq, reason: `expected entry ${expectedSeq}, found ${e.seq}` };
    if (entryHash(previous, e) !== e.hash)
      return { ok: false, brokenAt: e.seq, reason: 'hash does not match the content' };
    previous = e.hash;
    expectedSeq++;
    count++;
  }
  return { ok: true, entries: count };
}
