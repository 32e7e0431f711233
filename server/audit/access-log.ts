import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Db } from '../auth/sessions.js';
import { describeAction } from '../../common/audit-words.js';
import { accessKindOf, actionsOfKind, type AccessKind } from '../../common/audit-kinds.js';
import { scopesInWords } from '../../common/caregiver-consent.js';
import { parseScopes } from '../auth/record-access.js';
import { lastDayOf } from '../caregivers/grants.js';

// "Who has seen my record" ([3/11]): the audit entries about one patient's record, with each actor named for the
// patient. An entry is about the record when it was done for the patient (`on_behalf_of`), names their record as its
// target (`Patient/<id>`: a refused attempt on it), or concerns one of their caregiver grants (`grant:<id>`); and it
// is not about an account (a sign-in carries the patient's id too: Account → Security lists those).

/** Who did something, as the patient is told: themselves, a caregiver or guardian, staff, the clinic, or someone. */
export type WhoKind = 'you' | 'caregiver' | 'guardian' | 'staff' | 'clinic' | 'someone';

export interface Who {
  /** What the log's person filter takes: an account id, `cli` (the clinic's operator tool) or `none` (signed out). */
  id: string;
  name: string;
  kind: WhoKind;
  /** A staff member's role, in words. */
  role?: string;
}

export interface AccessLogEntry {
  /** The audit entry's sequence number: the cursor pages by it. */
  seq: number;
  at: string;
  who: Who;
  action: string;
  /** A read of the record, a change to it, a change of who may see it, or an account event. */
  kind: AccessKind;
  what: string;
  /** `success`, `failure`, `denied` or `throttled` (AuditEvent.outcome). */
  outcome: string;
}

export interface AccessLogQuery {
  patientId: string;
  /** Only what this person did (a `Who.id`). */
  person?: string;
  /** From this instant (inclusive) … */
  from?: string;
  /** … to this one (exclusive); ISO-8601 UTC, compared as text like every time in the store. */
  to?: string;
  /** Entries older than this sequence number (the previous page's `next`). */
  before?: number;
  limit: number;
}

const ROLE_WORDS: Record<string, string> = { clinician: 'Clinician', helpdesk: 'Help desk', admin: 'Administrator' };
const NO_ACTOR = 'none';
const CLI = 'cli';

interface Scope {
  patientId: string;
  /** `grant:<id>` of each of the patient's grants, with the name the patient gave the person. */
  grants: Map<string, { name: string; kind: 'caregiver' | 'guardian'; accountId: string | null }>;
}

async function scopeOf(db: Db, patientId: string): Promise<Scope> {
  const rows = await db
    .selectFrom('caregiver_grant')
    .select(['id', 'invited_name', 'kind', 'caregiver_account_id'])
    .where('patient_id', '=', patientId)
    .execute();
  return {
    patientId,
    grants: new Map(
      rows.map((r) => [`grant:${r.id}`, { name: r.invited_name, kind: r.kind, accountId: r.caregiver_account_id }]),
    ),
  };
}

const ACCOUNT_ACTIONS = actionsOfKind('account');

function about(scope: Scope) {
  return (eb: ExpressionBuilder<Database, 'audit_log'>) =>
    eb.and([
      eb.or([
        eb('on_behalf_of', '=', scope.patientId),
        eb('target', '=', `Patient/${scope.patientId}`),
        ...(scope.grants.size ? [eb('target', 'in', [...scope.grants.keys()])] : []),
      ]),
      eb('action', 'not in', ACCOUNT_ACTIONS),
    ]);
}

/** Names each actor for the patient. Another patient's account is never named: only that someone tried. */
async function whoAre(db: Db, scope: Scope, actors: (string | null)[]): Promise<Map<string | null, Who>> {
  const out = new Map<string | null, Who>();
  const ids = [...new Set(actors.filter((a): a is string => !!a && a !== CLI))];
  const accounts = ids.length
    ? await db
        .selectFrom('account')
        .select(['id', 'kind', 'patient_id', 'display_name', 'role'])
        .where('id', 'in', ids)
        .execute()
    : [];
  const grantOfAccount = new Map([...scope.grants.values()].filter((g) => g.accountId).map((g) => [g.accountId, g]));
  for (const actor of new Set(actors)) {
    if (actor === null) {
      out.set(actor, { id: NO_ACTOR, name: 'Someone not signed in', kind: 'someone' });
      continue;
    }
    if (actor === CLI) {
      out.set(actor, { id: CLI, name: 'The clinic', kind: 'clinic' });
      continue;
    }
    const account = accounts.find((a) => a.id === actor);
    const grant = grantOfAccount.get(actor);
    if (account?.kind === 'patient' && account.patient_id === scope.patientId)
      out.set(actor, { id: actor, name: 'You', kind: 'you' });
    else if (account?.kind === 'staff')
      out.set(actor, {
        id: actor,
        name: account.display_name,
        kind: 'staff',
        role: ROLE_WORDS[account.role ?? ''] ?? 'Staff',
      });
    // The name the patient (or the care team, for a guardian) gave them, as Sharing shows it: not the one they chose
    // for their own account, which could be anything ("Dr. Lee").
    else if (grant) out.set(actor, { id: actor, name: grant.name, kind: grant.kind });
    else if (account) out.set(actor, { id: actor, name: 'Another portal account', kind: 'someone' });
    else out.set(actor, { id: actor, name: 'An account no longer on the portal', kind: 'someone' });
  }
  return out;
}

/** The words of an entry: the action's sentence, and for a grant whose it is and what it allowed. */
function whatOf(row: { action: string; target: string | null; detail: string | null }, scope: Scope, tz: string) {
  const words = describeAction(row.action);
  const grant = row.target ? scope.grants.get(row.target) : undefined;
  if (!grant) return words;
  const m = /^scopes=([a-z,]*); ends=([^;]+)/.exec(row.detail ?? '');
  if (!m) return `${words}: ${grant.name}`;
  const scopes = parseScopes(JSON.stringify(m[1]!.split(',')));
  const lastDay = m[2] === 'never' ? null : lastDayOf(m[2]!, tz);
  return `${words}: ${grant.name}, who may ${scopesInWords(scopes)}${lastDay ? ` until ${lastDay}` : ''}`;
}

/**
 * One page of the patient's access log, newest first, and `next` (the cursor of the page after) when there is more.
 * `people` is everyone in the whole log, for the filter, whatever this page holds.
 */
export async function accessLogPage(db: Db, query: AccessLogQuery, timeZone: string) {
  const scope = await scopeOf(db, query.patientId);
  let rows = db
    .selectFrom('audit_log')
    .select(['seq', 'at', 'actor', 'action', 'target', 'outcome', 'detail'])
    .where(about(scope));
  if (query.person === NO_ACTOR) rows = rows.where('actor', 'is', null);
  else if (query.person) rows = rows.where('actor', '=', query.person);
  if (query.from) rows = rows.where('at', '>=', query.from);
  if (query.to) rows = rows.where('at', '<', query.to);
  if (query.before) rows = rows.where('seq', '<', query.before);
  const found = await rows
    .orderBy('seq', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = found.slice(0, query.limit);
  const actors = await db.selectFrom('audit_log').select('actor').distinct().where(about(scope)).execute();
  const who = await whoAre(db, scope, [...actors.map((a) => a.actor), ...page.map((r) => r.actor)]);
  const entries: AccessLogEntry[] = page.map((r) => ({
    seq: r.seq,
    at: r.at,
    who: who.get(r.actor)!,
    action: r.action,
    kind: accessKindOf(r.action),
    what: whatOf(r, scope, timeZone),
    outcome: r.outcome,
  }));
  const people = [...new Map(actors.map((a) => who.get(a.actor)!).map((w) => [w.id, w])).values()].sort(
    (a, b) => order(a) - order(b) || a.name.localeCompare(b.name),
  );
  return { entries, people, next: found.length > query.limit ? page.at(-1)!.seq : undefined };
}

const KIND_ORDER: WhoKind[] = ['you', 'guardian', 'caregiver', 'staff', 'clinic', 'someone'];
const order = (w: Who) => KIND_ORDER.indexOf(w.kind);
