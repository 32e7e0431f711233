import { html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { Binary, Communication } from 'fhir/r4';
import { clinicContext, type ClinicInfo } from '../../session/clinic-context.js';
import { navigate } from '../../session/navigate.js';
import { api, ApiProblem } from '../../data/api.js';
import { submit } from '../../record/outbox.js';
import type { OutboxItem, Vault } from '../../record/vault.js';
import { downloadFile } from '../../ui/download.js';
import { formStyles } from '../../ui/form-styles.js';
import { DraftKeeper, draftKey } from '../../record/draft-keeper.js';
import { formatDate } from '../../record/fhir-display.js';
import { RecordPage } from '../../session/record-page.js';
import { OutboxWatch, outboxList } from '../../record/outbox-view.js';
import { composerStyles, fileSize, MAX_MESSAGE_CHARS, type AttachmentPicker } from '../../ui/composer.js';
import '../../ui/composer.js';
import {
  conversations,
  deliveredMessageId,
  documentsOf,
  filesOf,
  fromPatient,
  textOf,
  threadOf,
  type Conversation,
} from '../../record/conversations.js';
import { urgentNotice } from './urgent-notice.js';

/** Where a new message is written (its drafts are kept under this path). */
const COMPOSE_PAGE = '/messages/new';

interface Recipient {
  key: string;
  name: string;
  kind: 'department' | 'care-team' | 'clinician';
}

/** Removes sent items whose message is now in the local record; returns the message items still to show. */
async function pendingMessages(vault: Vault, patientId: string): Promise<OutboxItem[]> {
  for (const item of await vault.outboxItems()) {
    const id = item.kind === 'message' && item.state === 'sent' ? deliveredMessageId(item) : undefined;
    if (id && (await vault.get(patientId, 'Communication', id))) await vault.deleteOutbox(item.id);
  }
  return (await vault.outboxItems()).filter((i) => i.kind === 'message');
}

/** A message's files, from the local record (so they open offline too). */
async function saveFile(vault: Vault, patientId: string, binaryId: string, title: string) {
  const binary = await vault.get<Binary>(patientId, 'Binary', binaryId);
  if (!binary?.data) return;
  downloadFile(title, [Uint8Array.from(atob(binary.data), (c) => c.charCodeAt(0)) as BlobPart], binary.contentType);
}

/** The outbox items of a list, each with its state and what can be done with it (a refusal is kept, never dropped). */
/**
 * Messages: the conversations with the care team (from the local record, so they read offline), unread replies
 * marked, and what is on its way from the outbox. Writing starts at "Write a new message".
 */
@customElement('mcl-messages-page')
export class MessagesPage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles];
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
    const unseen = await vault.unseen(
      patientId,
      'Communication',
      messages.filter((m) => !fromPatient(m)).map((m) => m.id!),
    );
    this.list = conversations(messages, unseen);
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

/** One conversation: every message with its files, shared documents linked, and a reply box (drafts are kept). */
@customElement('mcl-conversation-page')
export class ConversationPage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles, composerStyles];
  protected readonly heading = 'Conversation';
  @consume({ context: clinicContext, subscribe: true })
  clinic: ClinicInfo | undefined;
  @state() private conversation: Conversation | undefined;
  @state() private outbox: OutboxItem[] = [];
  @state() private sending = false;
  @query('mcl-attachment-picker') private picker!: AttachmentPicker;
  private readonly drafts = new DraftKeeper(this, () => this.session?.account);
  private vault: Vault | undefined;
  private patientId = '';
  protected readonly outboxWatch = new OutboxWatch(
    this,
    () => this.vault && Promise.all([this.load(this.vault, this.patientId), this.record.session?.sync()]),
  );
  private readonly threadId = new URLSearchParams(location.search).get('id') ?? '';
  /** Which replies were new when the page opened (they stay marked while it is open). */
  private readonly unseenAtOpen = new Set<string>();

  protected async load(vault: Vault, patientId: string) {
    this.vault = vault;
    this.patientId = patientId;
    const messages = (await vault.list<Communication>(patientId, 'Communication')).filter(
      (m) => threadOf(m) === this.threadId,
    );
    const unseen = await vault.unseen(
      patientId,
      'Communication',
      messages.map((m) => m.id!),
    );
    for (const id of unseen) this.unseenAtOpen.add(id);
    this.conversation = conversations(messages, unseen)[0];
    // Opened: the care team's replies are no longer new.
    await vault.markSeen(
      patientId,
      'Communication',
      messages.map((m) => m.id!),
    );
    this.outbox = (await pendingMessages(vault, patientId)).filter((i) => i.subject === this.threadId);
  }

  private async reply(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = String(new FormData(form).get('reply') ?? '').trim();
    if (!text || this.sending) return;
    this.sending = true;
    try {
      const c = this.conversation!;
      await submit(this.vault!, {
        action: 'message.send',
        subject: c.id,
        title: `Reply: ${c.subject}`,
        body: {
          patientId: this.patientId,
          thread: c.id,
          body: text,
          attachments: this.picker.files.map(({ name, data }) => ({ name, data })),
        },
      });
      form.reset();
      this.picker.clear();
      await this.drafts.clear(`reply-${c.id}`);
      this.outbox = (await pendingMessages(this.vault!, this.patientId)).filter((i) => i.subject === c.id);
      void this.record.session?.sync();
    } finally {
      this.sending = false;
    }
  }

  private async discard(item: OutboxItem) {
    await this.vault!.deleteOutbox(item.id);
    this.outbox = this.outbox.filter((i) => i.id !== item.id);
  }

  private async edit(item: OutboxItem) {
    const field = this.renderRoot.querySelector<HTMLTextAreaElement>('#reply');
    if (field) {
      field.value = (item.body as { body?: string }).body ?? '';
      field.dispatchEvent(new Event('input'));
      field.focus();
    }
    await this.discard(item);
  }

  private message(m: Communication) {
    const mine = fromPatient(m);
    return html`<li class="card">
      <p class="meta"><strong>${mine ? 'You' : (m.sender?.display ?? 'Your care team')}</strong> · ${formatDate(m.sent, true)}
        ${!mine && this.unseenAtOpen.has(m.id!) ? html`<span class="new">new</span>` : nothing}</p>
      <pre class="note">${textOf(m)}</pre>
      ${filesOf(m).map((f) => html`<p><button type="button" class="secondary" @click=${() => saveFile(this.vault!, this.patientId, f.binaryId, f.title)} aria-label="Download ${f.title}">Download ${f.title}</button> <span class="meta">(${fileSize(f.size)})</span></p>`)}
      ${documentsOf(m).map((d) => html`<p>Shared document: <a href="/records/documents">${d.title}</a> (now in your Documents)</p>`)}
    </li>`;
  }

  protected renderBody() {
    const c = this.conversation;
    if (!c)
      return html`<p>This conversation is not in your record on this device. <a href="/messages">Back to your messages</a></p>`;
    return html`<h2>${c.subject}</h2>
      <p class="meta">With ${c.team}</p>
      <ul class="items" aria-label="Messages">${c.messages.map((m) => this.message(m))}</ul>
      ${outboxList(
        this.outbox,
        (i) => void this.discard(i),
        (i) => void this.edit(i),
        !this.session?.unlockedOffline,
      )}
      <form @submit=${this.reply} aria-labelledby="reply-title">
        <h2 id="reply-title">Reply</h2>
        <div class="field"><label for="reply">Your reply</label>
          <textarea id="reply" name="reply" required maxlength=${MAX_MESSAGE_CHARS} data-draft="reply-${c.id}"></textarea></div>
        <mcl-attachment-picker></mcl-attachment-picker>
        ${urgentNotice(this.clinic)}
        <button type="submit" ?disabled=${this.sending}>Send reply</button>
      </form>
      <p><a href="/messages">Back to your messages</a></p>`;
  }
}

/** A new message: to whom, subject, text and files; drafts are kept as the person types; the urgent notice first. */
@customElement('mcl-compose-page')
export class ComposePage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles, composerStyles];
  protected readonly heading = 'Write a new message';
  @consume({ context: clinicContext, subscribe: true })
  clinic: ClinicInfo | undefined;
  @state() private recipients: Recipient[] = [];
  @state() private offlineList = false;
  private listProblem = '';
  @state() private sending = false;
  @query('mcl-attachment-picker') private picker!: AttachmentPicker;
  private readonly drafts = new DraftKeeper(this, () => this.session?.account, COMPOSE_PAGE);
  private vault: Vault | undefined;
  private patientId = '';

  protected async load(vault: Vault, patientId: string) {
    this.vault = vault;
    this.patientId = patientId;
    try {
      this.recipients = (
        await api<{ recipients: Recipient[] }>(
          'GET',
          `/api/messages/recipients?patient=${encodeURIComponent(patientId)}`,
        )
      ).recipients;
      this.offlineList = false;
    } catch (error) {
      // Without the list (no connection, or the portal did not answer) the clinic's departments are still known.
      this.recipients = (this.clinic?.departments ?? []).map((d) => ({
        key: `department:${d.id}`,
        name: d.name,
        kind: 'department' as const,
      }));
      this.offlineList = true;
      this.listProblem =
        error instanceof ApiProblem && error.status === 0
          ? 'You are offline: only the clinic’s departments are listed. Your message will be sent when you are back online.'
          : 'Your clinicians could not be listed just now: only the clinic’s departments are shown.';
    }
  }

  private async send(event: SubmitEvent) {
    event.preventDefault();
    if (this.sending) return;
    const data = new FormData(event.target as HTMLFormElement);
    const recipient = String(data.get('recipient') ?? '');
    const subject = String(data.get('subject') ?? '').trim();
    const body = String(data.get('body') ?? '').trim();
    if (!recipient || !subject || !body) return;
    this.sending = true;
    try {
      const to = this.recipients.find((r) => r.key === recipient)?.name ?? 'your care team';
      await submit(this.vault!, {
        action: 'message.send',
        subject: 'new',
        title: `To ${to}: ${subject}`,
        body: {
          patientId: this.patientId,
          recipient,
          subject,
          body,
          attachments: this.picker.files.map(({ name, data: content }) => ({ name, data: content })),
        },
      });
      await Promise.all(['recipient', 'subject', 'body'].map((n) => this.drafts.clear(n)));
      void this.record.session?.sync();
      navigate(this, '/messages');
    } finally {
      this.sending = false;
    }
  }

  protected renderBody() {
    const group = (kind: Recipient['kind'], label: string) => {
      const list = this.recipients.filter((r) => r.kind === kind);
      return list.length
        ? html`<optgroup label=${label}>${list.map((r) => html`<option value=${r.key}>${r.name}</option>`)}</optgroup>`
        : nothing;
    };
    return html`<form @submit=${this.send}>
      <div class="field"><label for="recipient">To</label>
        <select id="recipient" name="recipient" required data-draft="recipient">
          <option value="">Choose who should read it</option>
          ${group('clinician', 'Your clinicians')}${group('care-team', 'Your care teams')}${group('department', 'Clinic departments')}
        </select>
        ${this.offlineList ? html`<p class="hint">${this.listProblem}</p>` : nothing}</div>
      <div class="field"><label for="subject">Subject</label>
        <input id="subject" name="subject" type="text" required maxlength="150" data-draft="subject" /></div>
      <div class="field"><label for="body">Message</label>
        <textarea id="body" name="body" required maxlength=${MAX_MESSAGE_CHARS} data-draft="body" aria-describedby="body-hint"></textarea>
        <p id="body-hint" class="hint">Up to 10,000 characters. What you type is kept on this device until you send it.</p></div>
      <mcl-attachment-picker></mcl-attachment-picker>
      ${urgentNotice(this.clinic)}
      <button type="submit" ?disabled=${this.sending}>Send message</button>
    </form>
    <p><a href="/messages">Back to your messages</a></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-messages-page': MessagesPage;
    'mcl-conversation-page': ConversationPage;
    'mcl-compose-page': ComposePage;
  }
}
