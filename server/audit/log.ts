import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AuditAction } from '../../common/audit-actions.js';
import { entryHash, verifyChain, type AuditFields, type ChainVerdict } from './chain.js';

/** What happened, as the caller describes it; sequence, time and hash are added by appendAudit. */
export interface AuditEvent {
  /** Account id of who acted; null for an anonymous attempt. */
  actor: string | null;
  /** The patient the action concerned, when someone acted for them or on their record. */
  onBehalfOf?: string | null;
  /** A stable verb such as `sign-in`, `sign-in.failed`, `record.view` (the list: common/audit-actions.ts). */
  action: AuditAction;
  target?: string | null;
  outcome: 'success' | 'failure' | 'denied' | 'throttled';
  ip?: string | null;
  /** Short, non-clinical context (never a password, token or health detail). */
  detail?: string | null;
}

/**
 * Appends one entry to the audit log inside the caller's transaction, so the entry commits with the action it
 * records, or not at all. The head row is updated first: it stays locked until commit, so concurrent appends
 * (several instances on PostgreSQL) take turns and the chain stays unbroken.
 */
export async function appendAudit(
  db: Transaction<Database> | Kysely<Database>,
  event: AuditEvent,
  now: Date,
): Promise<number> {
  // Outside a caller's transaction, take one of our own: the head update, the insert and the new head hash must
  // commit together, or two concurrent appends would both chain onto the same previous hash.
  if (!db.isTransaction) return db.transaction().execute((trx) => appendInTransaction(trx, event, now));
  return appendInTransaction(db as Transaction<Database>, event, now);
}

async function appendInTransaction(trx: Transaction<Database>, event: AuditEvent, now: Date): Promise<number> {
  const head = await trx
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  const fields: AuditFields = {
    seq: head.seq,
    at: now.toISOString(),
    actor: event.actor,
    onBehalfOf: event.onBehalfOf ?? null,
    action: event.action,
    target: event.target ?? null,
    outcome: event.outcome,
    ip: event.ip ?? null,
    detail: event.detail ?? null,
  };
  const hash = entryHash(head.hash, fields);
  await trx
    .insertInto('audit_log')
    .values({
      seq: fields.seq,
      at: fields.at,
      actor: fields.actor,
      on_behalf_of: fields.onBehalfOf,
      action: fields.action,
      target: fields.target,
      outcome: fields.outcome,
      ip: fields.ip,
      detail: fields.detail,
      hash,
    })
    .execute();
  await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
  return fields.seq;
}

const PAGE = 1000;

/** Re-walks the whole log in pages and checks every link, and that the head row matches the last entry. */
export async function verifyAuditLog(db: Kysely<Database>): Promise<ChainVerdict> {
  const rows: (AuditFields & { hash: string })[] = [];
  for (let after = 0; ;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const r of page) {
      rows.push({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        onBehalfOf: r.on_behalf_of,
        action: r.action,
        target: r.target,
        outcome: r.outcome,
        ip: r.ip,
        detail: r.detail,
        hash: r.hash,
      });
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }
  const verdict = verifyChain(rows);
  if (!verdict.ok) return verdict;
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const last = rows.at(-1);
  if (head.seq !== (last?.seq ?? 0) || (last && head.hash !== last.hash)) {
    return {
      ok: false,
      brokenAt: head.seq,
      reason: 'the log ends before its recorded head: entries were removed from the end',
    };
  }
  return verdict;
}
