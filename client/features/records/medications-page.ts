import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { MedicationRequest, Task } from 'fhir/r4';
import type { OutboxItem, Vault } from '../../record/vault.js';
import { flush, submit } from '../../record/outbox.js';
import { decisionKey } from '../../record/news.js';
import { formStyles } from '../../ui/form-styles.js';
import { RecordPage } from '../../session/record-page.js';
import { dosageText, formatDate, isActiveMedication, medicationName, refillsText } from '../../record/fhir-display.js';

const OPEN = ['draft', 'requested', 'received', 'accepted', 'in-progress', 'ready', 'on-hold'];
const STATUS: Record<string, string> = {
  requested: 'requested, waiting for your care team',
  received: 'received by your care team',
  accepted: 'approved',
  'in-progress': 'being prepared',
  ready: 'ready to collect',
  rejected: 'denied',
  completed: 'done',
  cancelled: 'cancelled',
};

/** The newest refill request (Task) for each prescription. */
export function latestRequests(tasks: Task[]): Map<string, Task> {
  const map = new Map<string, Task>();
  for (const t of tasks) {
    const id = t.focus?.reference?.replace(/^MedicationRequest\//, '');
    if (id && (!map.has(id) || String(t.authoredOn) > String(map.get(id)!.authoredOn))) map.set(id, t);
  }
  return map;
}

/**
 * Medications: what to take now, with dosage in plain words, prescriber, dates and refills; then past ones. A
 * current prescription can be refilled (or renewed when none are left): the request goes through the outbox and
 * its progress is shown here, from "sending" to the care team's decision.
 */
@customElement('mcl-medications-page')
export class MedicationsPage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles];
  protected readonly heading = 'Medications';
  @state() private meds: MedicationRequest[] = [];
  @state() private requests = new Map<string, Task>();
  @state() private outbox: OutboxItem[] = [];
  @state() private asking: string | undefined;
  private vault: Vault | undefined;

  protected async load(vault: Vault, patientId: string) {
    this.vault = vault;
    this.meds = await vault.list<MedicationRequest>(patientId, 'MedicationRequest');
    const tasks = await vault.list<Task>(patientId, 'Task');
    this.requests = latestRequests(tasks);
    // Seen here: decisions are no longer news on Home.
    await vault.markSeen(patientId, 'Task', tasks.map(decisionKey));
    // Sent items whose request has arrived in the record are done.
    for (const item of await vault.outboxItems()) {
      if (item.state === 'sent' && this.requests.has(item.subject)) await vault.deleteOutbox(item.id);
    }
    this.outbox = (await vault.outboxItems()).filter((i) => i.kind === 'refill');
  }

  private async request(event: SubmitEvent, m: MedicationRequest) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const vault = this.vault!;
    await submit(vault, {
      action: 'refill.request',
      subject: m.id!,
      title: `Refill: ${medicationName(m)}`,
      body: {
        medicationRequestId: m.id,
        pharmacy: String(data.get('pharmacy') ?? ''),
        note: String(data.get('note') ?? '') || undefined,
      },
    });
    this.asking = undefined;
    // Shown as "sending" as soon as it is stored, before the answer.
    this.outbox = (await vault.outboxItems()).filter((i) => i.kind === 'refill');
    // The send `submit` started holds the outbox's lock: this waits for its answer (and sends nothing twice).
    if (navigator.onLine) await flush(vault);
    this.outbox = (await vault.outboxItems()).filter((i) => i.kind === 'refill');
    void this.record.session?.sync();
  }

  private async discard(item: OutboxItem) {
    await this.vault!.deleteOutbox(item.id);
    this.outbox = (await this.vault!.outboxItems()).filter((i) => i.kind === 'refill');
  }

  private refill(m: MedicationRequest) {
    const pending = this.outbox.filter((i) => i.subject === m.id && i.state !== 'sent').at(-1);
    const sent = this.outbox.some((i) => i.subject === m.id && i.state === 'sent');
    const task = this.requests.get(m.id!);
    const renewal = m.dispenseRequest?.numberOfRepeatsAllowed === 0;
    if (pending?.state === 'waiting')
      return html`<p role="status">${!navigator.onLine ? 'Waiting for a connection: your request will be sent when you are back online.' : this.session?.unlockedOffline ? 'Waiting: sign in to send your request.' : 'Sending your request…'}</p>`;
    if (pending?.state === 'refused') {
      return html`<div class="alert" role="alert"><p>Your request was not accepted: ${pending.problem}</p>
        <button type="button" class="secondary" @click=${() => this.discard(pending)}>Remove this request</button></div>`;
    }
    if (sent && !task) return html`<p role="status">Request sent.</p>`;
    if (task && OPEN.includes(task.status))
      return html`<p role="status">${renewal ? 'Renewal' : 'Refill'} requested on ${formatDate(task.authoredOn)}: ${STATUS[task.status] ?? task.status}.</p>`;
    const decided = task
      ? html`<p class="meta">Last request (${formatDate(task.authoredOn)}): ${STATUS[task.status] ?? task.status}${task.statusReason ? ` – ${task.statusReason.text}` : ''}.</p>`
      : nothing;
    if (this.asking !== m.id) {
      return html`${decided}<button type="button" class="secondary" @click=${() => (this.asking = m.id)} aria-label="${renewal ? 'Request renewal' : 'Request refill'}: ${medicationName(m)}">${renewal ? 'Request renewal' : 'Request refill'}</button>`;
    }
    return html`<form @submit=${(e: SubmitEvent) => this.request(e, m)}>
      <div class="field"><label for="pharmacy-${m.id}">Pharmacy</label>
        <input id="pharmacy-${m.id}" name="pharmacy" type="text" required maxlength="200" autocomplete="organization" /></div>
      <div class="field"><label for="note-${m.id}">Note for your care team (optional)</label>
        <input id="note-${m.id}" name="note" type="text" maxlength="1000" /></div>
      <button type="submit">Send request</button>
      <button type="button" class="secondary" @click=${() => (this.asking = undefined)}>Cancel</button>
    </form>`;
  }

  private item(m: MedicationRequest) {
    return html`<li class="card">
      <h3>${medicationName(m)}</h3>
      <p>${dosageText(m.dosageInstruction?.[0])}</p>
      <p class="meta">
        Prescribed ${formatDate(m.authoredOn)}${m.requester?.display ? html` by ${m.requester.display}` : nothing}.
        ${isActiveMedication(m) ? refillsText(m) : html`Status: ${m.status}.`}
      </p>
      ${m.status === 'active' ? this.refill(m) : nothing}
    </li>`;
  }

  protected renderBody() {
    const active = this.meds.filter(isActiveMedication);
    const past = this.meds.filter((m) => !isActiveMedication(m));
    return html`<h2>Taking now (${active.length})</h2>
      ${active.length ? html`<ul class="items">${active.map((m) => this.item(m))}</ul>` : html`<p>No current medications in your record.</p>`}
      <h2>Past medications (${past.length})</h2>
      ${past.length ? html`<ul class="items">${past.map((m) => this.item(m))}</ul>` : html`<p>None.</p>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-medications-page': MedicationsPage;
  }
}
