import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { StaffPage } from '../../../session/staff-page.js';
import { ApiProblem } from '../../../data/api.js';
import { ok, portal, type Success } from '../../../data/portal.js';
import { pageStyles } from '../../../ui/shared-styles.js';
import { formStyles } from '../../../ui/form-styles.js';
import { ActionController } from '../../../ui/action-controller.js';

/**
 * One open request as the server lists it. Its `id` and `requestedAt` come from the FHIR Task, whose type leaves
 * them optional: the server always stores both, so they are read as the page read them before.
 */
type Request = Success<Awaited<ReturnType<typeof portal.api.staff.refills.$get>>>['requests'][number];

/**
 * The care team's refill queue: oldest first, each with patient, medication, pharmacy and note; approve (after
 * confirming, or correcting, the pharmacy it goes to), deny with a reason the patient will read, or mark an approved one ready.
 * Online only (staff work on the clinic's network); every view and decision is audited on the server.
 */
@customElement('mcl-refill-queue-page')
export class RefillQueuePage extends StaffPage {
  static override styles = [
    pageStyles,
    formStyles,
    css`ul { list-style: none; padding: 0; } .row { display: flex; flex-wrap: wrap; gap: 0.5rem; }`,
  ];
  @state() private requests: Request[] | undefined;
  private readonly action = new ActionController(this, { focus: '[role=alert], [role=status]' });
  @state() private notice: string | undefined;
  @state() private denying: string | undefined;
  @state() private approving: string | undefined;

  protected async load() {
    try {
      this.requests = (await ok(portal.api.staff.refills.$get())).requests;
    } catch (error) {
      this.action.problem = error instanceof ApiProblem ? error.message : 'The queue could not be loaded.';
    }
  }

  private decide(
    r: Request,
    decision: 'approve' | 'deny' | 'ready',
    detail: { reason?: string; pharmacy?: string } = {},
  ) {
    return this.action.run(async () => {
      await ok(
        portal.api.staff.refills[':id'].decision.$post({
          param: { id: encodeURIComponent(String(r.id)) },
          json: {
            decision,
            ...(detail.reason ? { reason: detail.reason } : {}),
            ...(detail.pharmacy ? { pharmacy: detail.pharmacy } : {}),
          },
        }),
      );
      this.notice = `${r.medication} for ${r.patient.name}: ${decision === 'approve' ? `approved, to ${detail.pharmacy}` : decision === 'deny' ? 'denied' : 'marked ready'}.`;
      this.denying = undefined;
      this.approving = undefined;
      await this.load();
    });
  }

  override render() {
    if (this.session?.account?.kind !== 'staff')
      return html`<h1>Refill requests</h1><p>This page is for the care team.</p>`;
    const when = (iso: string | undefined) =>
      new Date(iso ?? NaN).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    return html`<h1>Refill requests</h1>
      ${this.action.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.action.problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      ${
        this.requests === undefined
          ? html`<p role="status">Loading…</p>`
          : this.requests.length === 0
            ? html`<p>No requests waiting.</p>`
            : html`<ul>
              ${this.requests.map(
                (r) => html`<li class="card">
                  <h2>${r.medication}</h2>
                  <p><strong>${r.patient.name}</strong> · ${r.kind} · asked ${when(r.requestedAt)}${r.sentBy ? ` by ${r.sentBy.name}, for the patient` : ''} · ${r.status === 'accepted' ? 'approved' : r.status}</p>
                  <p>Pharmacy: ${r.pharmacy ?? 'not given'}${r.note ? html`<br />Note: ${r.note}` : nothing}</p>
                  ${
                    this.approving === r.id
                      ? html`<form @submit=${(e: SubmitEvent) => {
                          e.preventDefault();
                          void this.decide(r, 'approve', {
                            pharmacy: String(new FormData(e.target as HTMLFormElement).get('pharmacy') ?? '').trim(),
                          });
                        }}>
                        <div class="field"><label for="pharmacy-${r.id}">Pharmacy the prescription goes to (check with the patient's request)</label>
                          <input id="pharmacy-${r.id}" name="pharmacy" type="text" required maxlength="200" .value=${r.pharmacy ?? ''} /></div>
                        <div class="row"><button type="submit">Confirm and approve</button>
                          <button type="button" class="secondary" @click=${() => (this.approving = undefined)}>Cancel</button></div>
                      </form>`
                      : this.denying === r.id
                        ? html`<form @submit=${(e: SubmitEvent) => {
                            e.preventDefault();
                            void this.decide(r, 'deny', {
                              reason: String(new FormData(e.target as HTMLFormElement).get('reason') ?? ''),
                            });
                          }}>
                        <div class="field"><label for="reason-${r.id}">Reason (the patient will read it)</label>
                          <input id="reason-${r.id}" name="reason" type="text" required maxlength="500" /></div>
                        <div class="row"><button type="submit">Deny the request</button>
                          <button type="button" class="secondary" @click=${() => (this.denying = undefined)}>Cancel</button></div>
                      </form>`
                        : html`<div class="row">
                        ${
                          r.status === 'accepted' || r.status === 'in-progress'
                            ? html`<button type="button" @click=${() => this.decide(r, 'ready')} aria-label="Mark ready: ${r.medication} for ${r.patient.name}">Mark ready</button>`
                            : html`<button type="button" @click=${() => ((this.approving = r.id), (this.denying = undefined))} aria-label="Approve: ${r.medication} for ${r.patient.name}">Approve…</button>`
                        }
                        <button type="button" class="secondary" @click=${() => ((this.denying = r.id), (this.approving = undefined))} aria-label="Deny: ${r.medication} for ${r.patient.name}">Deny</button>
                      </div>`
                  }
                </li>`,
              )}
            </ul>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-refill-queue-page': RefillQueuePage;
  }
}
