// What a patient may let a caregiver do, and the consent text they accept before an invitation is sent ([3/11]).
// The page shows this text and the server stores which version was accepted; both import it from here, so the
// words a patient read are the words the server recorded.

/** The things a caregiver may be allowed, each on its own. */
export const CARE_SCOPES = ['records', 'appointments', 'messages', 'refills'] as const;
export type CareScope = (typeof CARE_SCOPES)[number];

/** A caregiver the patient chose, or a guardian (personal representative of a minor) the care team set up. */
export const GRANT_KINDS = ['caregiver', 'guardian'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];

export interface CaregiverConsentText {
  /** Stored with each acceptance; a new text gets a new version, and patients are asked again. */
  version: string;
  /** The day this text came into use (YYYY-MM-DD). */
  issued: string;
  title: string;
  /** Shown before the scopes. */
  intro: string;
  /** Exactly what each scope shares and allows: one short paragraph per scope. */
  scopes: Record<CareScope, { label: string; shares: string }>;
  /** Shown after the scopes, whatever was chosen. */
  always: string[];
}

/** The first text (2026-11-25). */
const VERSION_1: CaregiverConsentText = {
  version: '1',
  issued: '2026-11-25',
  title: 'Sharing your portal with a caregiver',
  intro:
    'You are about to let another person use the portal for you. They sign in with their own account, never with yours. They can do only what you tick below:',
  scopes: {
    records: {
      label: 'Read your health record',
      shares:
        'They see your health record as you see it in the portal: test results, medications, visits and visit notes, allergies, immunizations, conditions, procedures and documents. An encrypted copy is kept on their device so they can read it with no connection.',
    },
    appointments: {
      label: 'See and book appointments',
      shares:
        'They see your upcoming and past appointments with their times and places, and they can book, move, cancel and ask for appointments for you.',
    },
    messages: {
      label: 'Read and write messages',
      shares:
        'They read your messages with the care team, including files and documents in them, and they can write messages for you. What they send shows that they sent it for you.',
    },
    refills: {
      label: 'Request refills',
      shares:
        'They see your current prescriptions and the care team’s answers to refill requests, and they can ask for refills for you. What they ask shows that they asked for you.',
    },
  },
  always: [
    'They cannot see or change your password, sign-in methods or contact details, and they cannot invite anyone else.',
    'Everything they open or send is recorded, and you can read it in your account’s access log.',
    'You can narrow what they may do, change the end date or end their access at any time in Account → Sharing. It takes effect at their next request. They may also give up their access.',
    'You and they get an email when access starts, changes or ends.',
  ],
};

/**
 * Every version ever shown, oldest first, so what a patient accepted can be shown back word for word after the
 * text has changed. Change the words only by adding a version.
 */
export const CAREGIVER_CONSENTS: readonly CaregiverConsentText[] = [
  VERSION_1,
  // 2: the copy on their device opens only with a connection, and is deleted when access ends (version 1 said it
  // could be read with no connection, which a caregiver's copy cannot). Everything else is version 1's, word for word.
  {
    ...VERSION_1,
    version: '2',
    issued: '2026-12-03',
    scopes: {
      ...VERSION_1.scopes,
      records: {
        label: 'Read your health record',
        shares:
          'They see your health record as you see it in the portal: test results, medications, visits and visit notes, allergies, immunizations, conditions, procedures and documents. An encrypted copy is kept on their device while they have access; it opens only when they are signed in with a connection, and it is deleted from their device when their access ends.',
      },
    },
  },
];

/** The text patients accept now. */
export const CURRENT_CAREGIVER_CONSENT: CaregiverConsentText = CAREGIVER_CONSENTS[CAREGIVER_CONSENTS.length - 1]!;

export function caregiverConsent(version: string): CaregiverConsentText | undefined {
  return CAREGIVER_CONSENTS.find((c) => c.version === version);
}

/** Scopes in their fixed order, without repeats: how they are stored and shown. */
export function orderScopes(scopes: Iterable<string>): CareScope[] {
  const set = new Set(scopes);
  return CARE_SCOPES.filter((s) => set.has(s));
}

/** "read your health record and request refills": the scopes in words, for mail and messages (no clinical detail). */
export function scopesInWords(scopes: readonly CareScope[], text: CaregiverConsentText = CURRENT_CAREGIVER_CONSENT) {
  const words = orderScopes(scopes).map((s) => text.scopes[s].label.toLowerCase());
  if (words.length <= 1) return words[0] ?? 'nothing';
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/**
 * What is attested when the care team sets up a parent or guardian for a minor ([3/11]): the child cannot consent,
 * so instead of the patient's consent the grant stores two attestations of this text (`caregiver_consent`, its
 * `version`): the staff member's (or the operator's, `cli`) when setting it up, and the guardian's own when they
 * activate it. Change the words only by adding a version.
 */
export interface GuardianAttestationText {
  version: string;
  issued: string;
  /** Confirmed by whoever sets the guardian up. */
  careTeam: string;
  /** Confirmed by the guardian when they activate their access. */
  guardian: string;
}

export const GUARDIAN_ATTESTATIONS: readonly GuardianAttestationText[] = [
  {
    version: 'guardian-1',
    issued: '2026-12-03',
    careTeam:
      'I checked that this person is the patient’s parent or legal guardian (photo ID, and a birth certificate or court order showing parental responsibility or guardianship), and that the patient is a minor.',
    guardian:
      'I am this child’s parent or legal guardian, with the legal authority to make health decisions for them. I will tell the clinic if that changes. My access narrows and ends with the child’s age as the clinic explained.',
  },
];

export const CURRENT_GUARDIAN_ATTESTATION: GuardianAttestationText =
  GUARDIAN_ATTESTATIONS[GUARDIAN_ATTESTATIONS.length - 1]!;
