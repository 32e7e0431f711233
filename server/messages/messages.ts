import type { Binary, CareTeam, Communication, DocumentReference, Encounter, Patient, Practitioner } from 'fhir/r4';
import type { Kysely } from 'kysely';
import type { ClinicInfo } from '../../common/clinic.js';
import { getResource, getResources, readCompartmentType } from '../store/resource-reads.js';
import { practitionerDisplayName } from '../fhir/patient-name.js';
import type { Database } from '../store/schema.js';
import type { CheckedAttachment } from './attachments.js';

/** Someone a patient may write to: a clinic department, a care team or a clinician from their record. */
export interface Recipient {
  /** `department:<id>`, `CareTeam/<id>` or `Practitioner/<id>`. */
  key: string;
  name: string;
  kind: 'department' | 'care-team' | 'clinician';
}

/** Longest message text; a longer letter goes as a PDF attachment. */
export const MESSAGE_MAX_CHARS = 10_000;
export const SUBJECT_MAX_CHARS = 150;
export const ATTACHMENTS_MAX = 3;

const DEPARTMENTS = (origin: string) => `${origin}/fhir/departments`;

/**
 * Who this patient may write to: the clinic's departments (configuration), the active care teams in their record,
 * their own clinician and the clinicians of their visits (most recent first, at most ten). Keys are stable, so a draft keeps its choice.
 */
export async function recipientsFor(db: Kysely<Database>, clinic: ClinicInfo, patientId: string): Promise<Recipient[]> {
  const out: Recipient[] = clinic.departments.map((d) => ({
    key: `department:${d.id}`,
    name: d.name,
    kind: 'department',
  }));
  const teams = (await readCompartmentType(db, patientId, 'CareTeam')).map((r) => r.resource as unknown as CareTeam);
  for (const team of teams.filter((t) => t.status === 'active')) {
    const named =
      team.name ??
      team.participant?.find((p) => p.member?.display && !p.member.reference?.startsWith('Patient/'))?.member?.display;
    out.push({
      key: `CareTeam/${team.id}`,
      name: (named ? `Care team: ${named}` : 'Your care team').slice(0, 200),
      kind: 'care-team',
    });
  }
  // The patient's own clinician first, then the clinicians of their visits, most recent first.
  const patient = (await getResource(db, 'Patient', patientId))?.resource as unknown as Patient | undefined;
  const refs: { reference: string; display?: string }[] = (patient?.generalPractitioner ?? []).flatMap((r) =>
    r.reference ? [{ reference: r.reference, ...(r.display ? { display: r.display } : {}) }] : [],
  );
  const encounters = (await readCompartmentType(db, patientId, 'Encounter')).map(
    (r) => r.resource as unknown as Encounter,
  );
  encounters.sort((a, b) => String(b.period?.start ?? '').localeCompare(String(a.period?.start ?? '')));
  for (const e of encounters)
    for (const p of e.participant ?? [])
      if (p.individual?.reference)
        refs.push({
          reference: p.individual.reference,
          ...(p.individual.display ? { display: p.individual.display } : {}),
        });
  const wanted = [
    ...new Set(refs.filter((r) => r.reference.startsWith('Practitioner/')).map((r) => r.reference)),
  ].slice(0, 10);
  const stored = new Map(
    (
      await getResources(
        db,
        'Practitioner',
        wanted.map((r) => r.slice('Practitioner/'.length)),
      )
    ).map((p) => [`Practitioner/${p.id}`, p.resource as unknown as Practitioner]),
  );
  const clinicians = new Map<string, string>();
  for (const ref of wanted) {
    const name = practitionerDisplayName(
      stored.get(ref),
      refs.find((r) => r.reference === ref && r.display)?.display ?? '',
    );
    if (name) clinicians.set(ref, name.slice(0, 200));
  }
  for (const [key, name] of clinicians) out.push({ key, name, kind: 'clinician' });
  return out;
}

/** The Binary resource that holds an attachment's bytes, in the patient's compartment (so it syncs with the record). */
export function attachmentBinary(id: string, patientId: string, file: CheckedAttachment): Binary {
  return {
    resourceType: 'Binary',
    id,
    contentType: file.contentType,
    securityContext: { reference: `Patient/${patientId}` },
    data: file.bytes.toString('base64'),
  };
}

/** A document the care team shares in a conversation: it becomes part of the patient's record (Documents). */
export function sharedDocument(input: {
  id: string;
  binaryId: string;
  patientId: string;
  file: CheckedAttachment;
  title: string;
  author: string;
  now: Date;
}): DocumentReference {
  const at = input.now.toISOString();
  return {
    resourceType: 'DocumentReference',
    id: input.id,
    status: 'current',
    type: { text: input.title },
    category: [{ text: 'Shared by your care team' }],
    subject: { reference: `Patient/${input.patientId}` },
    date: at,
    author: [{ display: input.author }],
    description: input.title,
    content: [
      {
        attachment: {
          contentType: input.file.contentType,
          url: `Binary/${input.binaryId}`,
          title: input.file.title,
          size: input.file.size,
          hash: input.file.hash,
          creation: at,
        },
      },
    ],
  };
}

export interface MessageInput {
  id: string;
  patientId: string;
  /** The patient writing (their own record), or a member of the care team. */
  from: { patient: true; display: string } | { patient: false; display: string };
  /** The conversation's first message, for a reply. */
  threadId?: string;
  team: { key: string; name: string };
  subject: string;
  text: string;
  attachments: { binaryId: string; file: CheckedAttachment }[];
  documents: DocumentReference[];
  origin: string;
  now: Date;
}

/** The id of the conversation a message belongs to: its first message (a reply points at it). */
export const threadOf = (m: Communication) => m.inResponseTo?.[0]?.reference?.replace(/^Communication\//, '') ?? m.id!;

/** Written by the patient (their own record), not by the care team. */
export const fromPatient = (m: Communication) => m.sender?.reference?.startsWith('Patient/') ?? false;

function teamReference(origin: string, team: { key: string; name: string }) {
  return team.key.startsWith('department:')
    ? { identifier: { system: DEPARTMENTS(origin), value: team.key.slice('department:'.length) }, display: team.name }
    : { reference: team.key, display: team.name };
}

/**
 * One secure message as a FHIR Communication: subject (the patient), topic (the conversation's subject), sender
 * and recipient (the team or clinician is named), the text and any attachments (by reference to their Binary)
 * or shared documents (DocumentReference) as payloads. A reply points at the conversation's first message.
 * A message from the care team gets `received` once the patient has opened it on any device (POST
 * /api/messages/threads/:id/read): until then it is unread, on each of the patient's devices.
 */
export function messageCommunication(m: MessageInput): Communication {
  const patient = { reference: `Patient/${m.patientId}` };
  const team = teamReference(m.origin, m.team);
  return {
    resourceType: 'Communication',
    id: m.id,
    status: 'completed',
    category: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: 'notification' }],
        text: 'Secure message',
      },
    ],
    subject: patient,
    topic: { text: m.subject },
    ...(m.threadId ? { inResponseTo: [{ reference: `Communication/${m.threadId}` }] } : {}),
    sent: m.now.toISOString(),
    sender: m.from.patient ? { ...patient, display: m.from.display } : { display: m.from.display },
    recipient: m.from.patient ? [team] : [{ ...patient }],
    payload: [
      { contentString: m.text },
      ...m.attachments.map(({ binaryId, file }) => ({
        contentAttachment: {
          contentType: file.contentType,
          url: `Binary/${binaryId}`,
          title: file.title,
          size: file.size,
          hash: file.hash,
        },
      })),
      ...m.documents.map((d) => ({
        contentReference: { reference: `DocumentReference/${d.id}`, display: d.description ?? 'Document' },
      })),
    ],
  };
}
