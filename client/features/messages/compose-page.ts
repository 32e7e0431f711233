import { html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { clinicContext, type ClinicInfo } from '../../session/clinic-context.js';
import { navigate } from '../../session/navigate.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal, type Success } from '../../data/portal.js';
import { submit } from '../../record/outbox.js';
import type { Vault } from '../../record/vault.js';
import { formStyles } from '../../ui/form-styles.js';
import { DraftKeeper } from '../../record/draft-keeper.js';
import { RecordPage } from '../../session/record-page.js';
import { onSharedComputer } from '../../session/session-controller.js';
import { composerStyles, MAX_MESSAGE_CHARS } from '../../ui/composer.js';
import type { AttachmentPicker } from '../../ui/attachment-picker.js';
import '../../ui/attachment-picker.js';
import { urgentNotice } from './urgent-notice.js';
import { COMPOSE_PAGE } from './pending-messages.js';

/** Someone this patient may write to, as the portal lists them (server/messages/messages.ts). */
type Recipient = Success<Awaited<ReturnType<typeof portal.api.messages.recipients.$get>>>['recipients'][number];

/** A new message: to whom, subject, text and files; drafts are kept as the person types; the urgent notice first. */
@customElement('mcl-compose-page')
export class ComposePage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles, composerStyles];
  protected override readonly scope = 'messages' as const;
  protected readonly heading = 'Write a new message';
  protected override readonly printable = false;
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
      this.recipients = (await ok(portal.api.messages.recipients.$get({ query: { patient: patientId } }))).recipients;
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
        <p id="body-hint" class="hint">Up to 10,000 characters. ${onSharedComputer() ? 'What you type is kept until you send it or sign out.' : 'What you type is kept on this device until you send it.'}</p></div>
      <mcl-attachment-picker></mcl-attachment-picker>
      ${urgentNotice(this.clinic)}
      <button type="submit" ?disabled=${this.sending}>Send message</button>
    </form>
    <p><a href="/messages">Back to your messages</a></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-compose-page': ComposePage;
  }
}
