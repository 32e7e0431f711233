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
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failure_at: string;
}

export interface OneTimeTokenTable {
  /** SHA-256 of the code or link token. */
  hash: string;
  purpose: 'activation' | 'verify-email' | 'reset-password' | 'staff-enrol';
  account_id: string | null;
  patient_id: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  attempts: Generated<number>;
  payload: string | null;
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
}
