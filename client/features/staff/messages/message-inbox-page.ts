import { css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { StaffPage } from '../../../session/staff-page.js';
import { ApiProblem, CSRF_HEADER, CSRF_HEADER_VALUE } from '../../../data/api.js';
import { ok, portal, type Success } from '../../../data/portal.js';
import { pageStyles } from '../../../ui/shared-styles.js';
import { formStyles } from '../../../ui/form-styles.js';
import { downloadFile } from '../../../ui/download.js';
import { ActionController } from '../../../ui/action-controller.js';
import { composerStyles, fileSize, MAX_MESSAGE_CHARS } from '../../../ui/composer.js';
import type { AttachmentPicker } from '../../../ui/attachment-picker.js';
import '../../../ui/attachment-picker.js';

const inbox = portal.api.staff.messages;
/** One conversation of the inbox, as the server lists it. */
type ThreadRow = Success<Awaited<ReturnType<typeof inbox.$get>>>['threads'][number];
/** One conversation with its messages, as the server answers it. */
type ThreadView = Success<Awaited<ReturnType<(typeof inbox)[':id']['$get']>>>;

/** A message's `sent` is optional in the FHIR Communication the server reads it from (it always writes one). */
const when = (iso: string | undefined) =>
  new Date(iso ?? NaN).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The care team's message inbox: conversations grouped by team, those waiting first (unread, then unanswered);
 * open one to read it (its files download, never open in the portal), reply (optionally sharing a document, which
 * joins the patient's record), and mark it handled. Online only; every view and action is audited on the server.
 */
@customElement('mcl-message-inbox-page')
export class MessageInboxPage extends StaffPage {
  static override styles = [
    pageStyles,
    formStyles,
    composerStyles,
    css`ul { list-style: none; padding: 0; } .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; } .tag { font-weight: 700; } pre { white-space: pre-wrap; font: inherit; background: #f4f7f8; padding: 0.75rem; border-radius: 6px; }`,
  ];
  @state() private threads: ThreadRow[] | undefined;
  @state() private open: ThreadView | undefined;
  @state() private notice: string | undefined;
  private readonly action = new ActionController(this, { focus: '[role=alert], [role=status].success' });
  @query('mcl-attachment-picker') private picker: AttachmentPicker | undefined;

  protected load() {
    return this.action.run(async () => {
      this.threads = (await ok(inbox.$get())).threads;
    }, 'The inbox could not be loaded.');
  }

  private async fetchThread(id: string) {
    this.open = await ok(inbox[':id'].$get({ param: { id: encodeURIComponent(id) } }));
    void this.load();
  }

  private show(id: string) {
    return this.action.run(async () => {
      this.notice = undefined;
      await this.fetchThread(id);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#thread-title')?.focus();
    }, 'The conversation could not be opened.');
  }

  private async download(file: { id: string; title: string; contentType: string }) {
    await this.action.run(async () => {
      const response = await fetch(
        `/api/staff/messages/${encodeURIComponent(this.open!.thread.id)}/files/${encodeURIComponent(file.id)}`,
        { credentials: 'same-origin', headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE } },
      );
      if (!response.ok) throw new ApiProblem(response.status, 'error', 'The file could not be downloaded.');
      downloadFile(file.title, [await response.blob()], file.contentType);
    }, 'The file could not be downloaded.');
  }

  private async reply(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const [file] = this.picker?.files ?? [];
    const title = String(data.get('title') ?? '').trim();
    if (file && !title) {
      this.action.problem = 'Give the document a title the patient will understand.';
      return;
    }
    const thread = this.open!.thread;
    // One key per reply written: a retry of this same reply (a lost answer) is carried out once.
    const key = form.dataset.key ?? (form.dataset.key = crypto.randomUUID());
    await this.action.run(async () => {
      await ok(
        inbox[':id'].reply.$post(
          {
            param: { id: encodeURIComponent(thread.id) },
            json: {
              body: String(data.get('reply') ?? ''),
              ...(file ? { document: { name: file.name, data: file.data, title } } : {}),
            },
          },
          { headers: { 'Idempotency-Key': key } },
        ),
      );
      delete form.dataset.key;
      form.reset();
      this.picker?.clear();
      await this.fetchThread(thread.id);
      this.notice = `Reply sent to ${thread.patient.name}${file ? `, with “${title}” added to their documents` : ''}.`;
    }, 'The reply could not be sent.');
  }

  private handled(handled: boolean) {
    const thread = this.open!.thread;
    return this.action.run(async () => {
      await ok(
        inbox[':id'].handled.$post({
          param: { id: encodeURIComponent(thread.id) },
          json: { handled, lastMessageAt: thread.lastMessageAt },
        }),
      );
      this.notice = handled ? `“${thread.subject}” marked handled.` : `“${thread.subject}” is open again.`;
      this.open = { ...this.open!, thread: { ...thread, handled } };
      await this.load();
    }, 'That did not work. Please try again.');
  }

  private renderThread(v: ThreadView) {
    const t = v.thread;
    return html`<section aria-labelledby="thread-title">
      <h2 id="thread-title" tabindex="-1">${t.subject}</h2>
      <p><strong>${t.patient.name}</strong> · to ${t.team.name} · ${t.handled ? 'handled' : t.unanswered ? 'waiting for an answer' : 'answered'}</p>
      <ul>
        ${v.messages.map(
          (m) => html`<li class="card">
            <p class="meta"><strong>${m.fromPatient ? (m.sentBy ? `${m.sentBy.name}, for ${t.patient.name} (sent on the patient’s behalf)` : `${t.patient.name} (patient)`) : m.sender}</strong> · ${when(m.sent)}</p>
            <pre>${m.text}</pre>
            ${m.attachments.map((f) => html`<p><button type="button" class="secondary" @click=${() => this.download(f)} aria-label="Download ${f.title}">Download ${f.title}</button> (${fileSize(f.size)})</p>`)}
            ${m.documents.map((d) => html`<p>Shared document: ${d.title}</p>`)}
          </li>`,
        )}
      </ul>
      <form @submit=${this.reply}>
        <h3>Reply to ${t.patient.name}</h3>
        <div class="field"><label for="reply">Reply</label>
          <textarea id="reply" name="reply" required maxlength=${MAX_MESSAGE_CHARS}></textarea></div>
        <mcl-attachment-picker label="Share a document with the patient (optional; it is added to their record)" max="1"></mcl-attachment-picker>
        <div class="field"><label for="title">Document title (when sharing one)</label>
          <input id="title" name="title" type="text" maxlength="120" /></div>
        <div class="row">
          <button type="submit" ?disabled=${this.action.busy}>Send reply</button>
          <button type="button" class="secondary" @click=${() => this.handled(!t.handled)}>${t.handled ? 'Reopen' : 'Mark handled'}</button>
          <button type="button" class="secondary" @click=${() => ((this.open = undefined), void this.load())}>Back to the inbox</button>
        </div>
      </form>
    </section>`;
  }

  private renderInbox(threads: ThreadRow[]) {
    if (!threads.length) return html`<p>No messages.</p>`;
    const teams = [...new Set(threads.map((t) => t.team.name))];
    return teams.map((team) => {
      const list = threads.filter((t) => t.team.name === team);
      const waiting = list.filter((t) => !t.handled && t.unanswered).length;
      return html`<section aria-label=${team}>
        <h2>${team} <span class="meta">(${waiting} waiting)</span></h2>
        <ul>
          ${list.map(
            (t) => html`<li class="card">
              <p class="row">
                <button type="button" class="link" @click=${() => this.show(t.id)}>${t.subject}</button>
                ${t.unread ? html`<span class="tag">Unread</span>` : t.unanswered && !t.handled ? html`<span class="tag">Unanswered</span>` : nothing}
                ${t.handled ? html`<span class="meta">Handled</span>` : nothing}
              </p>
              <p class="meta">${t.patient.name} · ${when(t.lastMessageAt)}</p>
            </li>`,
          )}
        </ul>
      </section>`;
    });
  }

  override render() {
    if (this.session?.account?.kind !== 'staff') return html`<h1>Messages</h1><p>This page is for the care team.</p>`;
    return html`<h1>Messages</h1>
      ${this.action.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.action.problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      ${this.open ? this.renderThread(this.open) : this.threads === undefined ? html`<p role="status">Loading…</p>` : this.renderInbox(this.threads)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-message-inbox-page': MessageInboxPage;
  }
}
