import type { AuditAction } from './audit-actions.js';

/**
 * What an audit entry was to the patient's record, for the access log (Account → Access log): a `read` of it, a
 * `change` to it, a change of who may see it (`sharing`), or something about an account (`account`: a sign-in, a
 * sign-up for the record). A `Record` over every action, so a new action cannot reach the log unsorted.
 */
export type AccessKind = 'read' | 'change' | 'sharing' | 'account';

const KINDS: Record<AuditAction, AccessKind> = {
  'access.denied': 'read',
  'account.email-change-requested': 'account',
  'account.email-changed': 'account',
  'account.notifications-changed': 'account',
  'account.phone-changed': 'account',
  'activation-code.issued': 'sharing',
  'appointment.access-denied': 'read',
  'appointment.booked': 'change',
  'appointment.cancelled': 'change',
  'appointment.request-withdrawn': 'change',
  'appointment.requested': 'change',
  'appointment.rescheduled': 'change',
  'audit.read': 'read',
  'caregiver.accepted': 'sharing',
  'caregiver.changed': 'sharing',
  'caregiver.guardian-added': 'sharing',
  'caregiver.guardian-ended': 'sharing',
  'caregiver.invited': 'sharing',
  'caregiver.left': 'sharing',
  'caregiver.revoked': 'sharing',
  'caregiver.signed-up': 'sharing',
  'message.access-denied': 'read',
  'message.read': 'read',
  'message.sent': 'change',
  'passkey.add-failed': 'account',
  'passkey.added': 'account',
  'passkey.counter-regressed': 'account',
  'passkey.failed': 'account',
  'passkey.removed': 'account',
  'passkey.renamed': 'account',
  'passkey.throttled': 'account',
  'password-reset': 'account',
  'password-reset.requested': 'account',
  reauth: 'account',
  'reauth.failed': 'account',
  'reauth.throttled': 'account',
  'record.access-denied': 'read',
  'record.download': 'read',
  'record.export': 'read',
  'record.import': 'change',
  'record.read': 'read',
  'record.view': 'read',
  'recovery-code.used': 'account',
  'recovery-codes.created': 'account',
  'refill.access-denied': 'read',
  'refill.requested': 'change',
  'scheduling.add': 'change',
  'scheduling.slots': 'change',
  'scheduling.visit-type': 'change',
  'second-factor.failed': 'account',
  'second-factor.throttled': 'account',
  'session.end': 'account',
  'session.timeout': 'account',
  'sign-in': 'account',
  'sign-in.failed': 'account',
  'sign-in.no-passkey': 'account',
  'sign-in.password-ok': 'account',
  'sign-in.throttled': 'account',
  'sign-in.unverified': 'account',
  'sign-out': 'account',
  'signup.duplicate': 'account',
  'signup.email-in-use': 'account',
  'signup.failed': 'account',
  'signup.requested': 'account',
  'signup.throttled': 'account',
  'signup.verified': 'account',
  'sms-code.failed': 'account',
  'sms-code.sent': 'account',
  'sms.added': 'account',
  'sms.confirm-failed': 'account',
  'sms.removed': 'account',
  'staff.guardians.view': 'read',
  'staff.appointment-request.booked': 'change',
  'staff.appointment-request.declined': 'change',
  'staff.appointment-request.times': 'read',
  'staff.appointment-request.view': 'read',
  'staff.appointment.cancelled': 'change',
  'staff.created': 'account',
  'staff.enrolled': 'account',
  'staff.message.file': 'read',
  'staff.message.file-denied': 'read',
  'staff.message.handled': 'change',
  'staff.message.list': 'read',
  'staff.message.reopened': 'change',
  'staff.message.reply': 'change',
  'staff.message.view': 'read',
  'staff.refill.approve': 'change',
  'staff.refill.deny': 'change',
  'staff.refill.ready': 'change',
  'staff.refill.view': 'read',
  'staff.schedule.view': 'read',
  'staff.scheduling.schedule': 'change',
  'staff.scheduling.slots': 'change',
  'staff.scheduling.visit-type': 'change',
  'totp.added': 'account',
  'totp.confirm-failed': 'account',
  'totp.confirm-throttled': 'account',
  'totp.removed': 'account',
};

/** The kind of an action; one this build does not know (a newer server's) counts as a read, the cautious reading. */
export function accessKindOf(action: string): AccessKind {
  return (KINDS as Record<string, AccessKind>)[action] ?? 'read';
}

/** Every action of one kind. */
export function actionsOfKind(kind: AccessKind): AuditAction[] {
  return (Object.keys(KINDS) as AuditAction[]).filter((a) => KINDS[a] === kind);
}

/** Each kind in words, for the log's column and its CSV. */
export const ACCESS_KIND_WORDS: Record<AccessKind, string> = {
  read: 'Read',
  change: 'Change',
  sharing: 'Sharing',
  account: 'Account',
};

/** An entry's outcome (AuditEvent.outcome) in words. */
export function outcomeInWords(outcome: string): string {
  return (
    (
      { success: 'Done', failure: 'Failed', denied: 'Refused', throttled: 'Slowed down after tries' } as Record<
        string,
        string
      >
    )[outcome] ?? outcome
  );
}
