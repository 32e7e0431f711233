import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../testing/app.js';
import { caller, PASSWORD, seedCareFamily, setGrantScopes } from '../testing/caregivers.js';
import { clinicianSession } from '../testing/staff-session.js';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../http/csrf.js';
import { putResources } from '../store/resources.js';
import { withTransaction } from '../store/store.js';
import { verifyAuditLog } from '../audit/log.js';
import { CARE_SCOPES, type CareScope } from '../../common/caregiver-consent.js';

// Every route of the app has a decision here ([3/11]): who may call it for which patient. A route added to the app
// without a line in DECISIONS fails the first test, so no route reaches a patient's data without a decision.

/**
 * - a scope: a patient-facing route that acts for one patient, allowed to the patient and to a caregiver with a
 *   live grant holding that scope (403 missing_scope to one without it, 404 to everyone else)
 * - `any-scope`: allowed with a live grant holding any scope (the record feed filters by them; a per-person key)
 * - `self-only`: the patient's own record only, never a caregiver (Sharing)
 * - `caregiver-own`: the signed-in account's own grants as a caregiver
 * - `signed-in`: the signed-in account's own session, factors, settings, log, or clinic-wide lists: no patient's data
 * - `staff`: staff roles only (403 to everyone else)
 * - `public`: no session needed (sign-in, sign-up, links from mails, health, static files)
 * - `middleware`: a `use()`/fallback entry, not an endpoint
 */
type Decision =
  CareScope | 'any-scope' | 'self-only' | 'caregiver-own' | 'signed-in' | 'staff' | 'public' | 'middleware';

const DECISIONS: Record<string, Decision> = {
  'ALL /*': 'middleware',
  'ALL /api/*': 'middleware',
  'ALL /api/records/*': 'middleware',
  'ALL /api/staff/refills/*': 'middleware',
  'ALL /api/staff/messages/*': 'middleware',
  'ALL /api/appointments/*': 'middleware',
  'ALL /api/staff/appointments/*': 'middleware',
  'GET /*': 'public',
  'GET /manifest.webmanifest': 'public',
  'GET /clinic.json': 'public',
  'GET /api/health': 'public',
  'POST /api/csp-reports': 'public',
  'POST /api/session': 'public',
  'POST /api/session/passkey-options': 'public',
  'POST /api/session/passkey': 'public',
  'GET /api/session': 'signed-in',
  'POST /api/session/keepalive': 'signed-in',
  'DELETE /api/session': 'signed-in',
  'POST /api/session/forget-device': 'signed-in',
  'GET /api/session/all': 'signed-in',
  'DELETE /api/session/all/:handle': 'signed-in',
  'POST /api/session/second-factor/sms': 'signed-in',
  'POST /api/session/second-factor/passkey-options': 'signed-in',
  'POST /api/session/second-factor': 'signed-in',
  'POST /api/session/reauth/second-factor': 'signed-in',
  'POST /api/session/reauth': 'signed-in',
  'POST /api/session/reauth/passkey-options': 'signed-in',
  'POST /api/session/reauth/passkey': 'signed-in',
  'GET /api/factors': 'signed-in',
  'POST /api/factors/passkeys/options': 'signed-in',
  'POST /api/factors/passkeys': 'signed-in',
  'PATCH /api/factors/passkeys/:id': 'signed-in',
  'DELETE /api/factors/passkeys/:id': 'signed-in',
  'POST /api/factors/totp': 'signed-in',
  'POST /api/factors/totp/confirm': 'signed-in',
  'DELETE /api/factors/totp': 'signed-in',
  'POST /api/factors/sms': 'signed-in',
  'POST /api/factors/sms/confirm': 'signed-in',
  'DELETE /api/factors/sms': 'signed-in',
  'POST /api/factors/recovery-codes': 'signed-in',
  'GET /api/account': 'signed-in',
  'PUT /api/account/notifications': 'signed-in',
  'PUT /api/account/phone': 'signed-in',
  'POST /api/account/email': 'signed-in',
  'POST /api/account/email/confirm': 'signed-in',
  'GET /api/records/patients': 'signed-in',
  'GET /api/records/feed': 'any-scope',
  'GET /api/records/vault-key': 'any-scope',
  'POST /api/records/exported': 'records',
  'POST /api/refills': 'refills',
  'GET /api/staff/refills': 'staff',
  'POST /api/staff/refills/:id/decision': 'staff',
  'GET /api/messages/recipients': 'messages',
  'POST /api/messages': 'messages',
  'POST /api/messages/threads/:id/read': 'messages',
  'GET /api/staff/messages': 'staff',
  'GET /api/staff/messages/:id': 'staff',
  'GET /api/staff/messages/:id/files/:binaryId': 'staff',
  'POST /api/staff/messages/:id/reply': 'staff',
  'POST /api/staff/messages/:id/handled': 'staff',
  'GET /api/appointments/options': 'signed-in',
  'GET /api/appointments/slots': 'signed-in',
  'POST /api/appointments': 'appointments',
  'POST /api/appointments/requests': 'appointments',
  'POST /api/appointments/:id/reschedule': 'appointments',
  'POST /api/appointments/:id/cancel': 'appointments',
  'GET /api/staff/appointments/day': 'staff',
  'POST /api/staff/appointments/:id/cancel': 'staff',
  'GET /api/staff/appointments/requests': 'staff',
  'GET /api/staff/appointments/requests/:id/slots': 'staff',
  'POST /api/staff/appointments/requests/:id/book': 'staff',
  'POST /api/staff/appointments/requests/:id/decline': 'staff',
  'GET /api/staff/appointments/scheduling': 'staff',
  'POST /api/staff/appointments/scheduling/visit-types': 'staff',
  'POST /api/staff/appointments/scheduling/schedules': 'staff',
  'POST /api/staff/appointments/scheduling/schedules/:id/slots': 'staff',
  'GET /api/sharing': 'self-only',
  'POST /api/sharing': 'self-only',
  'PATCH /api/sharing/:id': 'self-only',
  'DELETE /api/sharing/:id': 'self-only',
  'ALL /api/staff/guardians/*': 'middleware',
  'GET /api/staff/guardians': 'staff',
  'POST /api/staff/guardians': 'staff',
  'DELETE /api/staff/guardians/:id': 'staff',
  'GET /api/access-log': 'self-only',
  'GET /api/access-log.csv': 'self-only',
  'POST /api/caregiver/invitation': 'public',
  'POST /api/caregiver/invitation/accept': 'signed-in',
  'POST /api/caregiver/invitation/sign-up': 'public',
  'GET /api/caregiver/people': 'caregiver-own',
  'DELETE /api/caregiver/people/:id': 'caregiver-own',
  'POST /api/signup': 'public',
  'POST /api/signup/confirm': 'public',
  'POST /api/password-reset': 'public',
  'POST /api/password-reset/start': 'public',
  'POST /api/password-reset/confirm': 'public',
  'POST /api/staff-enrol': 'public',
  'GET /api/audit': 'signed-in',
  'GET /api/audit/all': 'staff',
};

type Json = Record<string, any>;
interface Ask {
  path: string;
  body?: Json;
  idempotent?: boolean;
}

const ROLES = ['self', 'with', 'without', 'revoked', 'expired', 'other', 'staff'] as const;
type Role = (typeof ROLES)[number];
const WHO: Record<Role, string> = {
  self: 'ada',
  with: 'cal',
  without: 'cal',
  revoked: 'rev',
  expired: 'exp',
  other: 'oth',
  staff: 'drlee',
};

describe('every patient-facing route decides through the caregiver grants', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const cookies: Record<string, string> = {};
  let t: TestApp;
  let thread = '';

  /** A real request as `who`, with a new Idempotency-Key when the route needs one. */
  const send = async (method: string, ask: Ask, who: string) => {
    const res = await t.app.request(ask.path, {
      method,
      headers: {
        Origin: t.config.publicOrigin,
        [CSRF_HEADER]: CSRF_HEADER_VALUE,
        Cookie: cookies[who] ?? '',
        ...(ask.body ? { 'Content-Type': 'application/json' } : {}),
        ...(ask.idempotent ? { 'Idempotency-Key': randomUUID() } : {}),
      },
      ...(ask.body ? { body: JSON.stringify(ask.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : {}) as Json };
  };

  /** How to call each patient-facing route for Ada's record. */
  const asks = (): Record<string, Ask> => ({
    'GET /api/records/feed': { path: '/api/records/feed?patient=pat-ada' },
    'GET /api/records/vault-key': { path: '/api/records/vault-key?patient=pat-ada' },
    'POST /api/records/exported': {
      path: '/api/records/exported',
      body: { patientId: 'pat-ada', kind: 'ips' },
      idempotent: true,
    },
    'POST /api/refills': {
      path: '/api/refills',
      body: { medicationRequestId: 'med-ada', pharmacy: 'Main Street Pharmacy' },
      idempotent: true,
    },
    'GET /api/messages/recipients': { path: '/api/messages/recipients?patient=pat-ada' },
    'POST /api/messages': {
      path: '/api/messages',
      body: { patientId: 'pat-ada', thread, body: 'Hello' },
      idempotent: true,
    },
    'POST /api/messages/threads/:id/read': { path: `/api/messages/threads/${thread}/read`, body: { upTo: thread } },
    'POST /api/appointments': {
      path: '/api/appointments',
      body: { patientId: 'pat-ada', slotId: 'no-such-slot' },
      idempotent: true,
    },
    'POST /api/appointments/requests': {
      path: '/api/appointments/requests',
      body: {
        patientId: 'pat-ada',
        reason: 'Check-up',
        earliest: '2026-12-01',
        latest: '2026-12-14',
        timeOfDay: 'any',
      },
      idempotent: true,
    },
    'POST /api/appointments/:id/reschedule': {
      path: '/api/appointments/appt-ada/reschedule',
      body: { slotId: 'no-such-slot' },
      idempotent: true,
    },
    'POST /api/appointments/:id/cancel': { path: '/api/appointments/appt-ada/cancel', body: {} },
  });

  before(async () => {
    t = await createTestApp({ clock: { now: () => now } });
    const call = caller(t, cookies);
    const store = t.testStore.store;
    await seedCareFamily(t, call, cookies, now);
    cookies.drlee = await clinicianSession(t, 'drlee', PASSWORD, now);
    await withTransaction(store, (trx) =>
      putResources(
        trx,
        store.dialect,
        [
          {
            resourceType: 'MedicationRequest',
            id: 'med-ada',
            status: 'active',
            intent: 'order',
            subject: { reference: 'Patient/pat-ada' },
            medicationCodeableConcept: { text: 'Lisinopril 10 mg' },
          },
          {
            resourceType: 'Appointment',
            id: 'appt-ada',
            status: 'booked',
            start: '2027-01-10T15:00:00Z',
            end: '2027-01-10T15:30:00Z',
            participant: [{ actor: { reference: 'Patient/pat-ada', display: 'Ada Lovelace' }, status: 'accepted' }],
          },
        ],
        now,
      ),
    );
    const sent = await send(
      'POST',
      {
        path: '/api/messages',
        body: { patientId: 'pat-ada', recipient: 'department:primary-care', subject: 'Hello', body: 'A question' },
        idempotent: true,
      },
      'ada',
    );
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    thread = sent.body.thread;
  });
  after(() => t.close());

  it('names a decision for every route of the app, and only routes that exist', () => {
    const inApp = [...new Set(t.app.routes.map((r) => `${r.method} ${r.path}`))];
    const missing = inApp.filter((k) => !(k in DECISIONS));
    assert.deepEqual(missing, [], `routes without an access decision in DECISIONS: ${missing.join(', ')}`);
    const stale = Object.keys(DECISIONS).filter((k) => !inApp.includes(k));
    assert.deepEqual(stale, [], `DECISIONS names routes the app no longer has: ${stale.join(', ')}`);
    const scoped = Object.keys(DECISIONS).filter(
      (k) => DECISIONS[k] === 'any-scope' || CARE_SCOPES.includes(DECISIONS[k] as CareScope),
    );
    assert.deepEqual(
      scoped.filter((k) => !(k in asks())),
      [],
      'every patient-facing route needs a request below',
    );
  });

  for (const [route, decision] of Object.entries(DECISIONS)) {
    if (decision !== 'any-scope' && !CARE_SCOPES.includes(decision as CareScope)) continue;
    it(`${route} (${decision}): self, caregiver with it, without it, revoked, expired, of someone else, staff`, async () => {
      const [method] = route.split(' ');
      for (const role of ROLES) {
        const ask = asks()[route]!;
        if (role === 'with')
          await setGrantScopes(t.testStore.store, 'g-cal', decision === 'any-scope' ? ['appointments'] : [decision]);
        if (role === 'without')
          await setGrantScopes(
            t.testStore.store,
            'g-cal',
            CARE_SCOPES.filter((s) => decision !== 'any-scope' && s !== decision),
          );
        const res = await send(method!, ask, WHO[role]);
        const seen = `${role} (${WHO[role]}): ${res.status} ${JSON.stringify(res.body)}`;
        assert.ok(res.status < 500, seen);
        if (role === 'self' || role === 'with') {
          assert.ok(![401, 403].includes(res.status) && !(res.status === 404 && res.body.error === 'not_found'), seen);
        } else if (role === 'without') {
          if (decision === 'any-scope') assert.ok([403, 404].includes(res.status), seen);
          else {
            assert.equal(res.status, 403, seen);
            assert.equal(res.body.error, 'missing_scope', seen);
            assert.equal(res.body.code, 'missing_scope', seen);
            assert.equal(res.body.scope, decision, seen);
            assert.match(res.body.message, /^Ada Lovelace has not allowed you to .+ Account → Sharing\.$/, seen);
          }
        } else {
          assert.equal(res.status, 404, seen);
          assert.equal(res.body.error, 'not_found', seen);
        }
      }
      await setGrantScopes(t.testStore.store, 'g-cal', CARE_SCOPES);
    });
  }

  it('staff routes refuse patients and caregivers (403), whatever the body', async () => {
    for (const [route, decision] of Object.entries(DECISIONS)) {
      if (decision !== 'staff') continue;
      const [method, path] = route.split(' ');
      for (const who of ['ada', 'cal', 'oth']) {
        const res = await send(
          method!,
          { path: path!.replace(/:[a-zA-Z]+/g, 'x'), ...(method === 'GET' ? {} : { body: {} }) },
          who,
        );
        assert.equal(res.status, 403, `${route} as ${who}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
  });

  it('Sharing is the patient’s own: caregivers and staff are refused, and another patient’s grant is not found', async () => {
    assert.equal((await send('GET', { path: '/api/sharing' }, 'ada')).status, 200);
    for (const who of ['cal', 'rev', 'drlee']) {
      const res = await send('GET', { path: '/api/sharing' }, who);
      assert.equal(res.status, 403, `${who}: ${JSON.stringify(res.body)}`);
      assert.equal((await send('DELETE', { path: '/api/sharing/g-cal' }, who)).status, 403);
    }
    // Bea's caregiver's grant is not Ada's to change or end.
    assert.equal((await send('DELETE', { path: '/api/sharing/g-oth' }, 'ada')).status, 404);
    assert.equal(
      (await send('PATCH', { path: '/api/sharing/g-oth', body: { scopes: ['records'] } }, 'ada')).status,
      404,
    );
  });

  it('the access log is the patient’s own: a caregiver, a revoked one and staff never read it through a grant', async () => {
    const own = await send('GET', { path: '/api/access-log' }, 'ada');
    assert.equal(own.status, 200);
    for (const path of ['/api/access-log', '/api/access-log.csv', '/api/access-log?person=pat-ada'])
      for (const who of ['cal', 'rev', 'exp', 'drlee']) {
        const res = await send('GET', { path }, who);
        assert.equal(res.status, 404, `${path} as ${who}: ${res.status}`);
      }
  });

  it('a caregiver sees and leaves only their own grants', async () => {
    const mine = await send('GET', { path: '/api/caregiver/people' }, 'cal');
    assert.equal(mine.status, 200);
    assert.deepEqual(
      mine.body.people.map((p: Json) => p.id ?? p.grantId),
      ['g-cal'],
      JSON.stringify(mine.body),
    );
    assert.deepEqual((await send('GET', { path: '/api/caregiver/people' }, 'ada')).body.people, []);
    for (const [who, grant] of [
      ['cal', 'g-oth'],
      ['ada', 'g-cal'],
      ['drlee', 'g-cal'],
    ] as const)
      assert.equal(
        (await send('DELETE', { path: `/api/caregiver/people/${grant}` }, who)).status,
        404,
        `${who} ${grant}`,
      );
  });

  it('leaves the audit chain whole, with the refusals in it', async () => {
    assert.equal((await verifyAuditLog(t.testStore.store.db)).ok, true);
    const denied = await t.testStore.store.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('outcome', '=', 'denied')
      .where('detail', 'like', 'missing scope%')
      .execute();
    assert.ok(denied.length >= 8, JSON.stringify(denied));
  });
});
