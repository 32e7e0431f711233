import type { Communication } from 'fhir/r4';
import type { Vault } from '../record/vault.js';

/**
 * For element tests: one conversation of patient `patientId` in the shapes the server writes
 * (server/messages/messages.ts), 't1' being hers and the rest replies, and a way to store resources as the sync
 * does (a page of the feed: with a new cursor).
 */
export function testConversation(patientId: string) {
  let cursor = 1;
  /** An ISO time `minutes` into the last hour. */
  const at = (minutes: number) => new Date(Date.now() - (60 - minutes) * 60_000).toISOString();
  const message = (id: string, minutes: number, from: 'patient' | 'team', extra: Partial<Communication> = {}) =>
    ({
      resourceType: 'Communication',
      id,
      status: 'completed',
      subject: { reference: `Patient/${patientId}` },
      topic: { text: 'Knee' },
      ...(id === 't1' ? {} : { inResponseTo: [{ reference: 'Communication/t1' }] }),
      sent: at(minutes),
      sender: from === 'patient' ? { reference: `Patient/${patientId}`, display: 'Reyna' } : { display: 'Dr Ana Lee' },
      recipient: from === 'patient' ? [{ display: 'Primary care team' }] : [{ reference: `Patient/${patientId}` }],
      payload: [{ contentString: `${id} text` }],
      ...extra,
    }) as Communication;
  const synced = (vault: Vault, resources: Communication[]) =>
    vault.put(patientId, resources as never[], [], {
      patientId,
      cursor: ++cursor,
      lastSyncAt: new Date().toISOString(),
    });
  return { at, message, synced };
}
