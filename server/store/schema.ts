import type { Generated } from 'kysely';

/**
 * The one schema, as Kysely sees it. Column types are the ones both SQLite and PostgreSQL return:
 * times are ISO-8601 UTC text, so rows read the same from either database.
 */
export interface AppMetaTable {
  key: string;
  value: string;
  updated_at: string;
}

/** The current version of a FHIR resource; `content` is its JSON without meta.versionId / meta.lastUpdated. */
export interface FhirResourceTable {
  resource_type: string;
  id: string;
  version_id: number;
  last_updated: string;
  content: string;
}

/** A resource's membership of a Patient compartment. */
export interface FhirCompartmentTable {
  patient_id: string;
  resource_type: string;
  id: string;
}

/** A business identifier of a resource (`system` is '' when the identifier has none). */
export interface FhirIdentifierTable {
  resource_type: string;
  system: string;
  value: string;
  id: string;
}

/** The last change sequence number handed out for a patient. */
export interface FhirPatientSeqTable {
  patient_id: string;
  seq: number;
}

/** One entry of a patient's change feed: resource `resource_type/id` reached `version_id`. */
export interface FhirChangeTable {
  patient_id: string;
  seq: number;
  resource_type: string;
  id: string;
  version_id: number;
  changed_at: string;
}

export interface AccountTable {
  id: string;
  kind: 'patient' | 'staff';
  patient_id: string | null;
  /** NFKC, lower case: unique regardless of how it was typed. */
  username: string;
  /** Lower case. */
  email: string;
  email_verified_at: string | null;
  phone: string | null;
  display_name: string;
  role: 'clinician' | 'helpdesk' | 'admin' | null;
  /** argon2id PHC string. */
  password_hash: string | null;
  /** JSON of the notification preferences. */
  notify_prefs: Generated<string>;
  created_at: string;
  disabled_at: string | null;
  /** Base64url, 256 bits: unwraps the account's local record on a device ([5/8]); made at first use. */
  vault_key: Generated<string | null>;
}

export interface SessionTable {
  /** SHA-256 of the session id the cookie carries. */
  id_hash: string;
  account_id: string;
  created_at: string;
  /** When the person last proved who they are (sign-in or step-up). */
  authenticated_at: string;
  last_seen_at: string;
  /** The overall limit; the idle limit is computed from last_seen_at. */
  expires_at: string;
  ended_at: string | null;
  ended_reason: string | null;
  ip: string | null;
  user_agent: string | null;
  /** How the session was authenticated: `password`, `mfa` (password + second factor) or `passkey`. */
  auth_level: Generated<AuthLevel>;
}

/** `enrol`: a new staff member's session from the set-up link, which may only add the first passkey. */
export type AuthLevel = 'enrol' | 'password' | 'mfa' | 'passkey';

export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failure_at: string;
}

export interface OneTimeTokenTable {
  /** SHA-256 of the code or link token. */
  hash: string;
  purpose:
    | 'activation'
    | 'verify-email'
    | 'reset-password'
    | 'staff-enrol'
    | 'webauthn-challenge'
    | 'auth-flow'
    | 'change-email'
    | 'caregiver-invite';
  account_id: string | null;
  patient_id: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  attempts: Generated<number>;
  payload: string | null;
}

export interface WebauthnCredentialTable {
  /** The credential id, base64url. */
  id: string;
  account_id: string;
  /** The name the person gave it ("My phone"). */
  name: string;
  /** COSE public key, base64url. */
  public_key: string;
  /** The highest signature counter seen (0 for authenticators that do not count); bigint: PostgreSQL returns a string. */
  counter: number | string;
  /** JSON array of transports the browser reported. */
  transports: string | null;
  device_type: string;
  backed_up: number;
  /** 1 when the authenticator offered the PRF extension at registration. */
  prf: number;
  aaguid: string | null;
  created_at: string;
  last_used_at: string | null;
  /** Set when an assertion came with a lower counter than seen before (possible cloned authenticator). */
  counter_flagged_at: string | null;
  /** The counter before its last raise, and when that raise happened (sign-count.ts). */
  prev_counter: Generated<number | string>;
  counter_at: string | null;
}

export interface TotpFactorTable {
  account_id: string;
  /** Base32, 160 bits. */
  secret: string;
  created_at: string;
  /** Null until the person proves the app works by typing a first code. */
  confirmed_at: string | null;
  /** The last accepted time step: a code is accepted once. */
  last_step: number | null;
}

export interface SmsFactorTable {
  account_id: string;
  /** E.164, e.g. +15555550123. */
  phone: string;
  created_at: string;
  confirmed_at: string | null;
}

export interface RecoveryCodeTable {
  /** SHA-256 of the normalised code. */
  hash: string;
  account_id: string;
  created_at: string;
  used_at: string | null;
}

export interface IdempotencyKeyTable {
  account_id: string;
  key: string;
  /** SHA-256 of method, path and body: the same key with another request is refused. */
  request_hash: string;
  /** Who is carrying the request out now, and until when (a crashed attempt's lease runs out). */
  lease_token: string;
  lease_until: string;
  /** Set, with the body, when the request was carried out: a retry gets this response again. */
  response_status: number | null;
  response_body: string | null;
  created_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string | null;
  on_behalf_of: string | null;
  action: string;
  target: string | null;
  outcome: string;
  ip: string | null;
  detail: string | null;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface MessageThreadTable {
  /** The id of the conversation's first Communication. */
  id: string;
  patient_id: string;
  /** `department:<id>`, `CareTeam/<id>` or `Practitioner/<id>`. */
  team_key: string;
  team_name: string;
  subject: string;
  created_at: string;
  last_message_at: string;
  last_from: 'patient' | 'care-team';
  staff_read_at: string | null;
  handled_at: string | null;
  handled_by: string | null;
}

export interface VisitTypeTable {
  id: string;
  name: string;
  minutes: number;
  /** 1: patients may book it themselves; 0: the clinic books it. */
  bookable_online: number;
  instructions: string;
  created_at: string;
}

export interface ScheduleTable {
  id: string;
  kind: 'clinician' | 'department';
  name: string;
  /** `Practitioner/<id>` for a clinician's schedule. */
  practitioner_ref: string | null;
  department: string;
  location_name: string;
  location_address: string;
  created_at: string;
}

export interface SlotTable {
  id: string;
  schedule_id: string;
  visit_type_id: string;
  start_at: string;
  end_at: string;
  created_at: string;
}

export interface SlotBookingTable {
  slot_id: string;
  appointment_id: string;
  patient_id: string;
  booked_at: string;
}

export interface AppointmentRequestTable {
  appointment_id: string;
  patient_id: string;
  state: 'open' | 'booked' | 'declined' | 'withdrawn';
  created_at: string;
  handled_at: string | null;
  handled_by: string | null;
}

export interface ReminderTable {
  id: string;
  appointment_id: string;
  patient_id: string;
  /** The lead time it was made for, e.g. `7d`, `1d`, `2h`. */
  lead: string;
  due_at: string;
  state: 'pending' | 'sending' | 'sent' | 'cancelled' | 'failed';
  lease_until: string | null;
  claimed_by: string | null;
  attempts: Generated<number>;
  sent_at: string | null;
}

/** Access to a patient's record held by another person's account ([3/11]; migration 0012). */
export interface CaregiverGrantTable {
  id: string;
  patient_id: string;
  /** Null until the invitation is accepted. */
  caregiver_account_id: string | null;
  /** Lower case; where the invitation was sent (null for a guardian set up without one). */
  invited_email: string | null;
  /** The name the patient gave the person. */
  invited_name: string;
  kind: 'caregiver' | 'guardian';
  /** JSON array of CareScope (common/caregiver-consent.ts). */
  scopes: string;
  /** Access ends at this instant (null: no end date). */
  ends_at: string | null;
  /** Until when the invitation's link works. */
  invite_expires_at: string | null;
  /** Account id of who set it up (the patient, a staff member) or `cli`. */
  created_by: string;
  created_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  left_at: string | null;
  /** The key of the caregiver's local copy of this person's record (migration 0014), made at first use. */
  vault_key: Generated<string | null>;
}

/** A consent accepted for a grant: the text's version and the scopes it covered. */
export interface CaregiverConsentTable {
  grant_id: string;
  /** 1, 2, … per grant: the highest is the consent in force. */
  seq: number;
  text_version: string;
  /** JSON array of CareScope. */
  scopes: string;
  accepted_at: string;
  accepted_by: string;
}

export interface Database {
  app_meta: AppMetaTable;
  fhir_resource: FhirResourceTable;
  fhir_compartment: FhirCompartmentTable;
  fhir_identifier: FhirIdentifierTable;
  fhir_patient_seq: FhirPatientSeqTable;
  fhir_change: FhirChangeTable;
  account: AccountTable;
  session: SessionTable;
  login_throttle: LoginThrottleTable;
  one_time_token: OneTimeTokenTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  webauthn_credential: WebauthnCredentialTable;
  totp_factor: TotpFactorTable;
  sms_factor: SmsFactorTable;
  recovery_code: RecoveryCodeTable;
  idempotency_key: IdempotencyKeyTable;
  message_thread: MessageThreadTable;
  visit_type: VisitTypeTable;
  schedule: ScheduleTable;
  slot: SlotTable;
  slot_booking: SlotBookingTable;
  reminder: ReminderTable;
  appointment_request: AppointmentRequestTable;
  caregiver_grant: CaregiverGrantTable;
  caregiver_consent: CaregiverConsentTable;
}
