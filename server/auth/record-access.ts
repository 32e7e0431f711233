import type { Account } from './sessions.js';

/**
 * Whose records an account may read. Today: a patient reads their own record. Caregivers (delegated access) and
 * staff (their own audited paths) come in later issues; until then they read nobody's through the patient API.
 */
export function readablePatients(account: Pick<Account, 'kind' | 'patient_id'>): string[] {
  return account.kind === 'patient' && account.patient_id ? [account.patient_id] : [];
}

export function mayRead(account: Pick<Account, 'kind' | 'patient_id'>, patientId: string): boolean {
  return readablePatients(account).includes(patientId);
}
