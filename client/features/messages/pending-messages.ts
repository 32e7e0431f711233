import type { OutboxItem, Vault } from '../../record/vault.js';
import { deliveredMessageId } from '../../record/conversations.js';

/** Where a new message is written (its drafts are kept under this path). */
export const COMPOSE_PAGE = '/messages/new';

/** Removes sent items whose message is now in the local record; returns the message items still to show. */
export async function pendingMessages(vault: Vault, patientId: string): Promise<OutboxItem[]> {
  for (const item of await vault.outboxItems()) {
    const id = item.kind === 'message' && item.state === 'sent' ? deliveredMessageId(item) : undefined;
    if (id && (await vault.get(patientId, 'Communication', id))) await vault.deleteOutbox(item.id);
  }
  return (await vault.outboxItems()).filter((i) => i.kind === 'message');
}
