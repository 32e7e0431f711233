import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Communication } from 'fhir/r4';
import { navigate } from '../../session/navigate.js';
import type { OutboxItem, Vault } from '../../record/vault.js';
import { formStyles } from '../../ui/form-styles.js';
import { draftKey } from '../../record/draft-keeper.js';
import { formatDate } from '../../record/fhir-display.js';
import { RecordPage } from '../../session/record-page.js';
import { OutboxWatch, outboxList } from '../../record/outbox-view.js';
import { conversations, unreadReplies, type Conversation } from '../../record/conversations.js';
import { COMPOSE_PAGE, pendingMessages } from './pending-messages.js';

/**
 * Messages: the conversations with the care team (from the local record, so they read offline), unread replies
 * marked, and what is on its way from the outbox. Writing starts at "Write a new message".
 */
@customElement('mcl-messages-page')
export class MessagesPage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles];
  protected override readonly scope = 'messages' as const;
  protected readonly heading = 'Messages';
  @state() private list: Conversation[] = [];
  @state() private outbox: OutboxItem[] = [];
  private vault: Vault | undefined;
  protected readonly outboxWatch = new OutboxWatch(
    this,
    () => this.vault && Promise.all([this.load(this.vault, this.patientId), this.record.session?.sync()]),
  );
  private patientId = '';

  protected async load(vault: Vault, patientId: string) {
    this.vault = vault;
    this.patientId = patientId;
    const messages = await vault.list<Communication>(patientId, 'Communication');
    this.list = conversations(messages, await unreadReplies(vault, patientId, messages));
    this.outbox = (await pendingMessages(vault, patientId)).filter((i) => i.subject === 'new');
  }

  private async discard(item: OutboxItem) {
    await this.vault!.deleteOutbox(item.id);
    this.outbox = this.outbox.filter((i) => i.id !== item.id);
  }

  private async edit(item: OutboxItem) {
    const body = item.body as { recipient?: string; subject?: string; body?: string };
    // Back into the composer's drafts, then the refused item goes: nothing the person wrote is lost.
    for (const field of ['recipient', 'subject', 'body'] as const)
      await this.vault!.saveDraft(draftKey(COMPOSE_PAGE, field), body[field] ?? '');
    await this.vault!.deleteOutbox(item.id);
    navigate(this, COMPOSE_PAGE);
  }

  protected renderBody() {
    return html`<p><a class="button" href="/messages/new">Write a new message</a></p>
      ${outboxList(
        this.outbox,
        (i) => void this.discard(i),
        (i) => void this.edit(i),
        !this.session?.unlockedOffline,
      )}
      ${
        this.list.length
          ? html`<ul class="items" aria-label="Conversations">
            ${this.list.map(
              (c) => html`<li class="card">
                <h2><a href="/messages/conversation?id=${encodeURIComponent(c.id)}">${c.subject}</a>
                  ${c.unread ? html`<span class="new">${c.unread} new</span>` : nothing}</h2>
                <p class="meta">With ${c.team} · ${c.messages.length} message${c.messages.length === 1 ? '' : 's'} · last ${formatDate(c.lastAt, true)} ·
                  ${c.answered ? 'answered by your care team' : 'waiting for your care team'}</p>
              </li>`,
            )}
          </ul>`
          : this.outbox.length
            ? nothing
            : html`<p>No messages yet. Write to your care team about anything that is not urgent: questions, updates, forms.</p>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-messages-page': MessagesPage;
  }
}
