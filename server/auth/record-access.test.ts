import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ageOn,
  ageRulesOf,
  decideAccess,
  grantOf,
  standingOf,
  type AccessDecision,
  type AgeRules,
  type Grant,
} from './record-access.js';
import { demoClinic } from '../../common/demo-clinic.js';
import type { CareScope } from '../../common/caregiver-consent.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const RULES: AgeRules = ageRulesOf(demoClinic); // America/Chicago; narrow at 12 to appointments; end at 18

const patient = { id: 'acc-ada', kind: 'patient' as const, patient_id: 'pat-ada' };
const carer = { id: 'acc-cal', kind: 'patient' as const, patient_id: null };
const carerWithRecord = { id: 'acc-bea', kind: 'patient' as const, patient_id: 'pat-bea' };
const staff = { id: 'acc-staff', kind: 'staff' as const, patient_id: null };

function grant(over: Partial<Grant> = {}): Grant {
  return {
    id: 'g1',
    patientId: 'pat-ada',
    caregiverAccountId: 'acc-cal',
    kind: 'caregiver',
    scopes: ['records', 'messages'],
    endsAt: null,
    acceptedAt: '2026-11-01T00:00:00Z',
    revokedAt: null,
    leftAt: null,
    ...over,
  };
}

describe('decideAccess: who may do what for a patient, now', () => {
  const cases: {
    name: string;
    account: typeof patient | typeof carer | typeof staff;
    scope: CareScope;
    grants?: Grant[];
    patientId?: string;
    birthDate?: string;
    now?: Date;
    expect: AccessDecision;
  }[] = [
    { name: 'the patient, own record', account: patient, scope: 'records', expect: { allowed: true, as: 'self' } },
    {
      name: 'the patient, own record, every scope, with no grant at all',
      account: patient,
      scope: 'refills',
      expect: { allowed: true, as: 'self' },
    },
    {
      name: 'a patient, someone else’s record',
      account: patient,
      patientId: 'pat-other',
      scope: 'records',
      expect: { allowed: false, reason: 'no-grant' },
    },
    {
      name: 'a caregiver with the scope',
      account: carer,
      scope: 'records',
      grants: [grant()],
      expect: { allowed: true, as: 'caregiver', grantId: 'g1' },
    },
    {
      name: 'a caregiver without the scope',
      account: carer,
      scope: 'appointments',
      grants: [grant()],
      expect: { allowed: false, reason: 'scope', missingScope: 'appointments', grantId: 'g1' },
    },
    {
      name: 'a caregiver who is also a patient, acting for someone else',
      account: carerWithRecord,
      scope: 'messages',
      grants: [grant({ caregiverAccountId: 'acc-bea' })],
      expect: { allowed: true, as: 'caregiver', grantId: 'g1' },
    },
    {
      name: 'a revoked grant',
      account: carer,
      scope: 'records',
      grants: [grant({ revokedAt: '2026-11-20T00:00:00Z' })],
      expect: { allowed: false, reason: 'revoked', grantId: 'g1' },
    },
    {
      name: 'a grant the caregiver left',
      account: carer,
      scope: 'records',
      grants: [grant({ leftAt: '2026-11-20T00:00:00Z' })],
      expect: { allowed: false, reason: 'revoked', grantId: 'g1' },
    },
    {
      name: 'a grant past its end',
      account: carer,
      scope: 'records',
      grants: [grant({ endsAt: '2026-11-25T12:00:00Z' })],
      expect: { allowed: false, reason: 'expired', grantId: 'g1' },
    },
    {
      name: 'a grant one millisecond before its end',
      account: carer,
      scope: 'records',
      grants: [grant({ endsAt: '2026-11-25T12:00:00.001Z' })],
      expect: { allowed: true, as: 'caregiver', grantId: 'g1' },
    },
    {
      name: 'a grant bound to the account but not accepted yet',
      account: carer,
      scope: 'records',
      grants: [grant({ acceptedAt: null })],
      expect: { allowed: false, reason: 'not-accepted', grantId: 'g1' },
    },
    {
      name: 'a pending invitation is nobody’s yet',
      account: carer,
      scope: 'records',
      grants: [grant({ caregiverAccountId: null, acceptedAt: null })],
      expect: { allowed: false, reason: 'no-grant' },
    },
    {
      name: 'a grant of another caregiver',
      account: carer,
      scope: 'records',
      grants: [grant({ caregiverAccountId: 'acc-zed' })],
      expect: { allowed: false, reason: 'no-grant' },
    },
    {
      name: 'a grant for another patient',
      account: carer,
      scope: 'records',
      grants: [grant({ patientId: 'pat-other' })],
      expect: { allowed: false, reason: 'no-grant' },
    },
    {
      name: 'an old revoked grant and a live one: the live one decides',
      account: carer,
      scope: 'records',
      grants: [grant({ id: 'g0', revokedAt: '2026-10-01T00:00:00Z' }), grant({ id: 'g2' })],
      expect: { allowed: true, as: 'caregiver', grantId: 'g2' },
    },
    {
      name: 'a refusal names the live grant’s missing scope before an old grant’s revocation',
      account: carer,
      scope: 'refills',
      grants: [grant({ id: 'g0', revokedAt: '2026-10-01T00:00:00Z', scopes: ['refills'] }), grant({ id: 'g2' })],
      expect: { allowed: false, reason: 'scope', missingScope: 'refills', grantId: 'g2' },
    },
    {
      name: 'staff get nothing through a grant',
      account: staff,
      scope: 'records',
      grants: [grant({ caregiverAccountId: 'acc-staff' })],
      expect: { allowed: false, reason: 'no-grant' },
    },
    {
      name: 'a scope that does not exist',
      account: patient,
      scope: 'billing' as CareScope,
      expect: { allowed: false, reason: 'scope', missingScope: 'billing' as CareScope },
    },
    {
      name: 'a guardian of a child under 12: everything given',
      account: carer,
      scope: 'records',
      birthDate: '2019-10-15',
      grants: [grant({ kind: 'guardian', scopes: ['records', 'appointments'] })],
      expect: { allowed: true, as: 'guardian', grantId: 'g1' },
    },
    {
      name: 'a guardian of a 12-year-old: records narrowed away by age',
      account: carer,
      scope: 'records',
      birthDate: '2014-01-01',
      grants: [grant({ kind: 'guardian', scopes: ['records', 'appointments'] })],
      expect: { allowed: false, reason: 'age', missingScope: 'records', grantId: 'g1' },
    },
    {
      name: 'a guardian of a 12-year-old: appointments still allowed',
      account: carer,
      scope: 'appointments',
      birthDate: '2014-01-01',
      grants: [grant({ kind: 'guardian', scopes: ['records', 'appointments'] })],
      expect: { allowed: true, as: 'guardian', grantId: 'g1' },
    },
    {
      name: 'a guardian of a 12-year-old: a scope never given is "scope", not "age"',
      account: carer,
      scope: 'messages',
      birthDate: '2014-01-01',
      grants: [grant({ kind: 'guardian', scopes: ['appointments'] })],
      expect: { allowed: false, reason: 'scope', missingScope: 'messages', grantId: 'g1' },
    },
    {
      name: 'a guardian of an 18-year-old: access ended',
      account: carer,
      scope: 'appointments',
      birthDate: '2008-11-25',
      grants: [grant({ kind: 'guardian', scopes: ['appointments'] })],
      expect: { allowed: false, reason: 'age', grantId: 'g1' },
    },
    {
      name: 'a guardian, the day before the 18th birthday',
      account: carer,
      scope: 'appointments',
      birthDate: '2008-11-26',
      grants: [grant({ kind: 'guardian', scopes: ['appointments'] })],
      expect: { allowed: true, as: 'guardian', grantId: 'g1' },
    },
    {
      name: 'a guardian when the record has no birth date: refused',
      account: carer,
      scope: 'appointments',
      grants: [grant({ kind: 'guardian', scopes: ['appointments'] })],
      expect: { allowed: false, reason: 'age', grantId: 'g1' },
    },
    {
      name: 'age rules do not touch a caregiver the patient chose',
      account: carer,
      scope: 'records',
      birthDate: '1940-05-05',
      grants: [grant()],
      expect: { allowed: true, as: 'caregiver', grantId: 'g1' },
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      assert.deepEqual(
        decideAccess({
          account: c.account,
          patientId: c.patientId ?? 'pat-ada',
          scope: c.scope,
          grants: c.grants ?? [],
          patientBirthDate: c.birthDate,
          now: c.now ?? NOW,
          ageRules: RULES,
        }),
        c.expect,
      );
    });
});

describe('ageOn: whole years on the clinic’s calendar', () => {
  const cases: [string, string | undefined, string, string, number | undefined][] = [
    // [what, birth date, now, zone, age]
    ['the day before the birthday', '2014-11-26', '2026-11-25T12:00:00Z', 'UTC', 11],
    ['on the birthday', '2014-11-25', '2026-11-25T00:00:00Z', 'UTC', 12],
    // 03:00 UTC on the 26th is still the evening of the 25th in Chicago: not twelve there yet.
    ['Chicago, UTC already past midnight', '2014-11-26', '2026-11-26T03:00:00Z', 'America/Chicago', 11],
    ['Chicago, midnight local', '2014-11-26', '2026-11-26T06:00:00Z', 'America/Chicago', 12],
    // Auckland is 13 hours ahead: its 26th begins at 11:00 UTC on the 25th.
    ['Auckland, before local midnight', '2014-11-26', '2026-11-25T10:59:59Z', 'Pacific/Auckland', 11],
    ['Auckland, after local midnight', '2014-11-26', '2026-11-25T11:00:00Z', 'Pacific/Auckland', 12],
    ['29 February, in a common year, on 28 February', '2012-02-29', '2026-02-28T18:00:00Z', 'UTC', 13],
    ['29 February, in a common year, on 1 March', '2012-02-29', '2026-03-01T00:00:00Z', 'UTC', 14],
    ['a year only counts from 1 January', '2014', '2026-01-01T12:00:00Z', 'UTC', 12],
    ['a month only counts from its first day', '2014-11', '2026-11-01T12:00:00Z', 'UTC', 12],
    ['no birth date', undefined, '2026-11-25T12:00:00Z', 'UTC', undefined],
    ['not a date', 'unknown', '2026-11-25T12:00:00Z', 'UTC', undefined],
  ];
  for (const [what, birth, now, zone, age] of cases)
    it(what, () => assert.equal(ageOn(birth, new Date(now), zone), age));

  it('narrows a guardian’s access at the twelfth birthday in the clinic’s zone, not in UTC', () => {
    const question = (now: string) =>
      decideAccess({
        account: carer,
        patientId: 'pat-ada',
        scope: 'records',
        grants: [grant({ kind: 'guardian', scopes: ['records', 'appointments'] })],
        patientBirthDate: '2014-11-26',
        now: new Date(now),
        ageRules: { ...RULES, timeZone: 'America/Chicago' },
      }).allowed;
    assert.equal(question('2026-11-26T05:59:59Z'), true, '23:59:59 on the 25th in Chicago');
    assert.equal(question('2026-11-26T06:00:00Z'), false, 'midnight on the 26th in Chicago');
  });
});

describe('grant rows and the older helpers', () => {
  it('reads scopes from JSON, in order, dropping what it does not know', () => {
    const row = {
      id: 'g',
      patient_id: 'p',
      caregiver_account_id: null,
      invited_email: 'x@example.com',
      invited_name: 'X',
      kind: 'caregiver' as const,
      scopes: '["refills","admin","records","records"]',
      ends_at: null,
      invite_expires_at: null,
      created_by: 'a',
      created_at: NOW.toISOString(),
      accepted_at: null,
      revoked_at: null,
      revoked_by: null,
      left_at: null,
      vault_key: null,
    };
    assert.deepEqual(grantOf(row).scopes, ['records', 'refills']);
    assert.deepEqual(grantOf({ ...row, scopes: 'not json' }).scopes, []);
  });

  it('standingOf: every scope for oneself, the union of live grants for a caregiver, none for staff', () => {
    assert.deepEqual(standingOf(patient, 'pat-ada', [], undefined, NOW, RULES), {
      live: true,
      as: 'self',
      scopes: ['records', 'appointments', 'messages', 'refills'],
    });
    assert.equal(standingOf(staff, 'pat-ada', [grant()], undefined, NOW, RULES).live, false);
    const two = [grant({ scopes: ['messages'] }), grant({ id: 'g2', scopes: ['records'] })];
    assert.deepEqual(standingOf(carer, 'pat-ada', two, undefined, NOW, RULES), {
      live: true,
      as: 'caregiver',
      scopes: ['records', 'messages'],
      grantId: 'g1',
    });
    assert.deepEqual(standingOf(carer, 'pat-ada', [grant({ revokedAt: NOW.toISOString() })], undefined, NOW, RULES), {
      live: false,
      reason: 'revoked',
      grantId: 'g1',
    });
    // A guardian of a 13-year-old whose grant held only records: live, but nothing left to do.
    const guardian = grant({ kind: 'guardian', scopes: ['records'] });
    assert.equal(standingOf(carer, 'pat-ada', [guardian], '2013-01-01', NOW, RULES).live, false);
    assert.equal(standingOf(carer, 'pat-bea', [grant()], undefined, NOW, RULES).live, false);
  });
});
