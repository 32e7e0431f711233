import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.js';
import { appendAudit } from '../audit/log.js';
import { ApiError } from '../errors.js';
import { pathId } from '../http/ids.js';
import { jsonBody } from '../http/json-body.js';
import { requireRole } from '../http/require-role.js';
import { authOf, clientIp, requireFreshAuth, requireSession } from '../http/require-session.js';
import { sendInBackground } from '../notify/mailer.js';
import { CARE_SCOPES, CURRENT_GUARDIAN_ATTESTATION, scopesInWords } from '../../common/caregiver-consent.js';
import { latestConsents, type GrantRow } from '../caregivers/grants.js';
import { sharingEntry } from '../caregivers/views.js';
import {
  addGuardian,
  ageRulesInWords,
  announceGuardian,
  endGuardian,
  findPatientRecord,
  guardianEndedMails,
  guardianRows,
  minorStage,
  type ChildRecord,
} from '../caregivers/guardians.js';

const NOT_FOUND = 'There is no guardian access with that id.';

const patientRef = z.string().trim().min(1, 'Enter the patient’s MRN or patient id.').max(64);

/** `?patient=<MRN|id>`, declared so the typed client sends it. */
const patientQuery = validator('query', (_query, c) => {
  const ref = patientRef.safeParse(c.req.query('patient') ?? '');
  if (!ref.success)
    throw new ApiError(400, 'invalid_query', 'Enter the patient’s MRN or patient id.', [
      { path: 'patient', message: 'Enter the MRN or patient id.' },
    ]);
  return { patient: ref.data };
});

const addBody = z
  .object({
    patient: patientRef,
    name: z.string().trim().min(1, 'Enter the guardian’s name.').max(100, 'Name: at most 100 characters.'),
    email: z.email('Enter their email address, such as name@example.com.').max(254),
    scopes: z
      .array(z.enum(CARE_SCOPES, 'Each choice is one of: records, appointments, messages, refills.'))
      .min(1, 'Choose at least one thing they may do.')
      .max(CARE_SCOPES.length)
      .optional(),
    /** The version of the attestation text the staff member confirmed (they checked the guardian's authority). */
    attestation: z.string().min(1, 'Confirm that you checked their legal authority.').max(32),
  })
  .strict();

/**
 * `/api/staff/guardians` ([3/11], care team: clinicians, help desk, administrators): parents and guardians of
 * minors. Looking a child up is audited for that child; setting up and ending need a recent sign-in (step-up), are
 * audited in their transaction and mailed after it commits.
 *
 * - `GET /?patient=<MRN|id>` → `{ patient, rules, attestation, guardians: SharingEntry[] }` (newest first)
 * - `POST /` `{ patient, name, email, scopes?, attestation }` → 201 `{ guardian, activation: { code, link,
 *   expiresAt }, message }`: the activation is mailed to the guardian and shown once, to hand over on paper.
 *   Refused: unknown patient 404; no birth date, not a minor, or that address already set up 409.
 * - `DELETE /:id` → `{ guardian, message }`: access ends at the guardian's next request.
 */
export function staffGuardianRoutes(deps: AppDeps) {
  const { store, clock, config } = deps;
  const clinic = config.clinic;
  const fresh = requireFreshAuth(deps);
  const entries = async (rows: GrantRow[], child: Pick<ChildRecord, 'birthDate'>, now: Date) => {
    const consents = await latestConsents(
      store.db,
      rows.map((r) => r.id),
    );
    const holderIds = [...new Set(rows.map((r) => r.caregiver_account_id).filter((id): id is string => !!id))];
    const holders = holderIds.length
      ? await store.db
          .selectFrom('account')
          .select(['id', 'display_name', 'email'])
          .where('id', 'in', holderIds)
          .execute()
      : [];
    return rows.map((row) => ({
      ...sharingEntry(row, consents.get(row.id), holders, child.birthDate ?? undefined, now, clinic),
      createdBy: row.created_by,
    }));
  };
  const describe = (child: ChildRecord, now: Date) => {
    const { age, stage } = minorStage(child.birthDate, now, clinic);
    return { ...child, age: age ?? null, stage };
  };

  return new Hono<AppEnv>()
    .use(requireSession(deps), requireRole(deps, 'clinician', 'helpdesk', 'admin'))
    .get('/', patientQuery, async (c) => {
      const ref = c.req.valid('query').patient;
      const now = clock.now();
      const child = await findPatientRecord(store.db, ref);
      if (!child) throw new ApiError(404, 'patient_not_found', `There is no patient with the id or MRN ${ref}.`);
      await appendAudit(
        store.db,
        {
          actor: authOf(c).account.id,
          onBehalfOf: child.id,
          action: 'staff.guardians.view',
          outcome: 'success',
          ip: clientIp(c),
          target: `Patient/${child.id}`,
        },
        now,
      );
      return c.json({
        patient: describe(child, now),
        rules: { ...clinic.minors, text: ageRulesInWords(child.name.split(' ')[0] ?? child.name, clinic) },
        attestation: { version: CURRENT_GUARDIAN_ATTESTATION.version, text: CURRENT_GUARDIAN_ATTESTATION.careTeam },
        guardians: await entries(await guardianRows(store.db, child.id), child, now),
      });
    })
    .post('/', fresh, jsonBody(addBody), async (c) => {
      const body = c.req.valid('json');
      const { account } = authOf(c);
      const now = clock.now();
      const setUp = await addGuardian(
        store,
        body,
        { actor: account.id, ip: clientIp(c), attestation: body.attestation },
        now,
        config,
      );
      await announceGuardian(deps, store.db, setUp);
      const [guardian] = await entries([setUp.row], setUp.child, now);
      const narrowed =
        setUp.child.stage === 'narrowed'
          ? ` ${setUp.child.name} is ${setUp.child.age}, so for now they may only ${scopesInWords(guardian!.allowedNow)}.`
          : '';
      return c.json(
        {
          guardian: guardian!,
          patient: describe(setUp.child, now),
          activation: { code: setUp.code, link: setUp.link, expiresAt: setUp.expiresAt },
          message: `We emailed an activation link to ${setUp.row.invited_email}. Its code works once, until ${setUp.expiresAt.slice(0, 10)}: give it to ${setUp.row.invited_name} on paper if they prefer.${narrowed}`,
        },
        201,
      );
    })
    .delete('/:id', fresh, async (c) => {
      const { account } = authOf(c);
      const now = clock.now();
      const id = pathId(c.req.param('id'), NOT_FOUND);
      const row = await endGuardian(store, id, { actor: account.id, ip: clientIp(c) }, now);
      for (const mail of await guardianEndedMails(deps, store.db, row))
        sendInBackground(deps.mailer, deps.logger, mail);
      const child = (await findPatientRecord(store.db, row.patient_id)) ?? { birthDate: null };
      const [guardian] = await entries([row], child, now);
      return c.json({
        guardian: guardian!,
        message: row.accepted_at
          ? `${row.invited_name} can no longer see or do anything for this patient.`
          : `The activation for ${row.invited_name} is withdrawn; its code no longer works.`,
      });
    });
}
