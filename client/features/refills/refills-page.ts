import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { MedicationRequest, Task } from 'fhir/r4';
import type { OutboxItem, Vault } from '../../record/vault.js';
import { submit } from '../../record/outbox.js';
import { OutboxWatch } from '../../record/outbox-view.js';
import { decisionKey } from '../../record/news.js';
import { arrived, isRenewal, latestRequests, refillState, STATUS, type RefillState } from '../../record/refills.js';
import { dosageText, formatDate, medicationName } from '../../record/fhir-display.js';
import { ActionController } from '../../ui/action-controller.js';
import { formStyles } from '../../ui/form-styles.js';
import { RecordPage } from '../../session/record-page.js';
import { onSharedComputer } from '../../session/session-controller.js';

/**
 * Refills (`/refills`, `?for=<prescription id>` to choose one, as each medication on Medications links here):
 * ask for a refill of a current prescription (a renewal when none are left), and follow each request from
 * "sending" to the care team's decision. A request goes to the outbox as `refill.request` and is shown from the
 * local record: the page reads again as the outbox sends it and as the sync brings the care team's answer.
 */
@customElement('mcl-refills-page')
export class RefillsPage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles];
  protected override readonly scope = 'refills' as const;
  protected readonly heading = 'Refills';
  @state() private meds: MedicationRequest[] = [];
  @state() private requests = new Map<string, Task>();
  @state() private outbox: OutboxItem[] = [];
  /** The prescription chosen in the form: the one the address names, until the person picks another. */
  @state() private chosen = new URLSearchParams(location.search).get('for') ?? '';
  @state() private notice: string | undefined;
  private readonly action = new ActionController(this, { focus: '#refill-outcome' });
  private vault: Vault | undefined;
  // Once the outbox has sent something, the sync brings its Task (the page reads the record again by itself).
  protected readonly outboxWatch = new OutboxWatch(this, () => this.record.session?.sync());

  protected async load(vault: Vault, patientId: string) {
    this.vault = vault;
    const meds = await vault.list<MedicationRequest>(patientId, 'MedicationRequest');
    const tasks = await vault.list<Task>(patientId, 'Task');
    // Seen here: decisions are no longer news on Home.
    await vault.markSeen(patientId, 'Task', tasks.map(decisionKey));
    // Sent items whose request has arrived in the record are done.
    const outbox: OutboxItem[] = [];
    for (const item of await vault.outboxItems()) {
      if (item.kind !== 'refill') continue;
      if (item.state === 'sent' && arrived(item, tasks)) await vault.deleteOutbox(item.id);
      else outbox.push(item);
    }
    // What can be refilled: a prescription still active (the portal refuses the others), by name.
    this.meds = meds
      .filter((m) => m.status === 'active')
      .sort((a, b) => medicationName(a).localeCompare(medicationName(b)));
    this.requests = latestRequests(tasks);
    this.outbox = outbox;
  }

  private stateOf(m: MedicationRequest): RefillState {
    return refillState(m, this.outbox, this.requests);
  }

  private async request(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const m = this.meds.find((x) => x.id === data.get('medication'));
    if (!m || !this.vault) return;
    const vault = this.vault;
    await this.action.run(async () => {
      // Stored first (one outbox item), then sent by the outbox; its progress is read back from the record.
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
      form.reset();
      this.chosen = '';
      this.notice = `Your request for ${medicationName(m)} is saved${onSharedComputer() ? '' : ' on this device'} and on its way.`;
    }, 'Your request could not be saved. Please try again.');
  }

  private async discard(item: OutboxItem) {
    await this.vault!.deleteOutbox(item.id);
  }

  /** One request's progress, in words. */
  private progress(m: MedicationRequest, s: RefillState) {
    const what = isRenewal(m) ? 'Renewal' : 'Refill';
    switch (s.state) {
      case 'waiting':
        return html`<p role="status">${!navigator.onLine ? 'Waiting for a connection: your request will be sent when you are back online.' : this.session?.unlockedOffline ? 'Waiting: sign in to send your request.' : 'Sending your request…'}</p>`;
      case 'refused':
        return html`<div class="alert" role="alert"><p>Your request was not accepted: ${s.item.problem}</p>
          <button type="button" class="secondary" @click=${() => this.discard(s.item)}>Remove this request</button></div>`;
      case 'sent':
        return html`<p role="status">Request sent.</p>`;
      case 'open':
        return html`<p role="status">${what} requested on ${formatDate(s.task.authoredOn)}: ${STATUS[s.task.status] ?? s.task.status}.</p>`;
      case 'none':
        return s.last
          ? html`<p class="meta">Last request (${formatDate(s.last.authoredOn)}): ${STATUS[s.last.status] ?? s.last.status}${s.last.statusReason ? ` – ${s.last.statusReason.text}` : ''}.</p>`
          : nothing;
    }
  }

  private form(offered: MedicationRequest[]) {
    if (!this.meds.length) return html`<p>No current medications in your record.</p>`;
    if (!offered.length) return html`<p>Each of your current medications has a request on its way (below).</p>`;
    const busy = this.action.busy;
    return html`<form @submit=${(e: SubmitEvent) => this.request(e)}>
      <div class="field"><label for="medication">Medication</label>
        <select id="medication" name="medication" required
          @change=${(e: Event) => {
            this.chosen = (e.target as HTMLSelectElement).value;
            this.notice = undefined;
          }}>
          <option value="" ?selected=${!offered.some((m) => m.id === this.chosen)}>Choose a medication</option>
          ${offered.map(
            (m) =>
              html`<option value=${m.id!} ?selected=${m.id === this.chosen}>${medicationName(m)}${isRenewal(m) ? ' (no refills left: a renewal)' : ''}</option>`,
          )}
        </select></div>
      <div class="field"><label for="pharmacy">Pharmacy</label>
        <input id="pharmacy" name="pharmacy" type="text" required maxlength="200" autocomplete="organization" /></div>
      <div class="field"><label for="note">Note for your care team (optional)</label>
        <input id="note" name="note" type="text" maxlength="1000" /></div>
      <button type="submit" ?disabled=${busy}>Send request</button>
    </form>`;
  }

  protected renderBody() {
    const states = this.meds.map((m) => [m, this.stateOf(m)] as const);
    const offered = states.filter(([, s]) => s.state === 'none').map(([m]) => m);
    const followed = states.filter(([, s]) => s.state !== 'none' || s.last);
    const asked = this.meds.find((m) => m.id === this.chosen);
    const alreadyAsked = asked && !offered.includes(asked);
    return html`<section aria-labelledby="ask-title">
        <h2 id="ask-title">Ask for a refill</h2>
        <p class="meta">For a current prescription: your care team decides, and you can follow it here. See also <a href="/records/medications">your medications</a>.</p>
        ${alreadyAsked ? html`<p>${medicationName(asked)} already has a request: see below.</p>` : nothing}
        ${this.form(offered)}
        <div id="refill-outcome" tabindex="-1">
          ${this.action.problem ? html`<p class="alert" role="alert">${this.action.problem}</p>` : nothing}
          ${this.notice ? html`<p role="status">${this.notice}</p>` : nothing}
        </div>
      </section>
      <section aria-labelledby="requests-title">
        <h2 id="requests-title">Your requests (${followed.length})</h2>
        ${
          followed.length
            ? html`<ul class="items">${followed.map(
                ([m, s]) => html`<li class="card">
                  <h3>${medicationName(m)}</h3>
                  <p class="meta">${dosageText(m.dosageInstruction?.[0])}</p>
                  ${this.progress(m, s)}
                </li>`,
              )}</ul>`
            : html`<p>None yet.</p>`
        }
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-refills-page': RefillsPage;
  }
}
