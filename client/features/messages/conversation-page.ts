import { html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { Binary, Communication } from 'fhir/r4';
import { clinicContext, type ClinicInfo } from '../../session/clinic-context.js';
import { submit } from '../../record/outbox.js';
import type { OutboxItem, Vault } from '../../record/vault.js';
import { downloadFile } from '../../ui/download.js';
import { formStyles } from '../../ui/form-styles.js';
import { DraftKeeper } from '../../record/draft-keeper.js';
import { formatDate } from '../../record/fhir-display.js';
import { RecordPage } from '../../session/record-page.js';
import { OutboxWatch, outboxList } from '../../record/outbox-view.js';
import { composerStyles, fileSize, MAX_MESSAGE_CHARS } from '../../ui/composer.js';
import type { AttachmentPicker } from '../../ui/attachment-picker.js';
import '../../ui/attachment-picker.js';
import {
  conversations,
  documentsOf,
  filesOf,
  fromPatient,
  authorOf,
  type Reader,
  markRead,
  textOf,
  threadOf,
  unreadReplies,
  type Conversation,
} from '../../record/conversations.js';
import { urgentNotice } from './urgent-notice.js';
import { viewedPerson } from '../../record/viewing.js';
import { pendingMessages } from './pending-messages.js';

/** A message's files, from the local record (so they open offline too). */
async function saveFile(vault: Vault, patientId: string, binaryId: string, title: string) {
  const binary = await vault.get<Binary>(patientId, 'Binary', binaryId);
  if (!binary?.data) return;
  downloadFile(title, [Uint8Array.from(atob(binary.data), (c) => c.charCodeAt(0)) as BlobPart], binary.contentType);
}

/** One conversation: every message with its files, shared documents linked, and a reply box (drafts are kept). */
@customElement('mcl-conversation-page')
export class ConversationPage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles, composerStyles];
  protected override readonly scope = 'messages' as const;
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
  /** The last reply this page has marked read (read marks go once per reply shown, not on every reading). */
  private toldUpTo: string | undefined;

  protected async load(vault: Vault, patientId: string) {
    this.vault = vault;
    this.patientId = patientId;
    const messages = (await vault.list<Communication>(patientId, 'Communication')).filter(
      (m) => threadOf(m) === this.threadId,
    );
    const unread = await unreadReplies(vault, patientId, messages);
    for (const id of unread) this.unseenAtOpen.add(id);
    this.conversation = conversations(messages, unread)[0];
    // Opened: the care team's replies are no longer new, here at once and on the patient's other devices once the
    // read mark has reached the server. Told once per reply shown: the page reads again after each change.
    const last = this.conversation?.messages.filter((m) => !fromPatient(m)).at(-1)?.id;
    if (this.conversation && last !== this.toldUpTo)
      this.toldUpTo = (await markRead(vault, patientId, this.conversation)) ?? last;
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

  /** Whose record this is and who reads it, for "You" / "<caregiver>, for <patient>". */
  private reader(): Reader {
    const account = this.session!.account!;
    const person = viewedPerson(account);
    return { accountId: account.id, self: person ? person.self : true, patientName: person?.name ?? '' };
  }

  private message(m: Communication) {
    const mine = fromPatient(m);
    return html`<li class="card">
      <p class="meta"><strong>${authorOf(m, this.reader())}</strong> · ${formatDate(m.sent, true)}
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

declare global {
  interface HTMLElementTagNameMap {
    'mcl-conversation-page': ConversationPage;
  }
}
