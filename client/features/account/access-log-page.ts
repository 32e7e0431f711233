import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiProblem, readAnswer } from '../../data/api.js';
import { ok, portal, type Success } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import { dateFormat } from '../../ui/date-format.js';
import { downloadFile } from '../../ui/download.js';
import { ACCESS_KIND_WORDS, outcomeInWords } from '../../../common/audit-kinds.js';

type LogPage = Success<Awaited<ReturnType<(typeof portal.api)['access-log']['$get']>>>;
type Entry = LogPage['entries'][number];
type Person = LogPage['people'][number];
/** The filter as the server takes it (`server/routes/access-log.ts`); empty fields are left out. */
type Filter = { person?: string; from?: string; to?: string };

const AS_WORDS: Record<Person['kind'], string> = {
  you: '',
  caregiver: 'caregiver',
  guardian: 'guardian',
  staff: 'staff',
  clinic: '',
  someone: '',
};

/** "Dr. Ana Lee (staff: Clinician)", "Cal Ortiz (caregiver)", "You". */
export function whoInWords(who: Entry['who']): string {
  const as = AS_WORDS[who.kind];
  return as ? `${who.name} (${who.role ? `${as}: ${who.role}` : as})` : who.name;
}

/**
 * Account → Access log ("who has seen my record", [3/11]): every read and change of the patient's record and of who
 * may see it, from the server's audit log, newest first, by person and days, and as a CSV file. Online only: the log
 * lives on the server, and the page says so when there is no connection.
 */
@customElement('mcl-access-log-page')
export class AccessLogPage extends LitElement {
  static override styles = [
    pageStyles,
    formStyles,
    css`
      form.filter { max-width: none; display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: flex-end; }
      form.filter .field { flex: 1 1 12rem; }
      form.filter button { margin-bottom: 1.1rem; }
      .table { overflow-x: auto; }
      table { border-collapse: collapse; width: 100%; }
      caption { text-align: left; font-weight: 600; padding: 0.5rem 0; }
      th, td { text-align: left; vertical-align: top; padding: 0.4rem 1rem 0.4rem 0; border-bottom: 1px solid var(--mcl-border, #c9d2d6); }
      .refused { color: var(--mcl-danger, #a4161a); font-weight: 600; }
      .actions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 1rem 0; }
    `,
  ];

  @state() private entries: Entry[] | undefined;
  @state() private people: Person[] = [];
  @state() private next: string | undefined;
  @state() private timeZone: string | undefined;
  @state() private problem: string | undefined;
  @state() private busy = false;
  /** The filter the shown entries answer (what Apply last sent). */
  private filter: Filter = {};

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load({});
  }

  /** Loads the first page for `filter`, or with `more` the page after the shown ones. */
  private async load(filter: Filter, more = false) {
    this.busy = true;
    this.problem = undefined;
    try {
      const query = { ...filter, ...(more && this.next ? { cursor: this.next } : {}) };
      const page = await ok(portal.api['access-log'].$get({ query }));
      this.filter = filter;
      this.entries = more ? [...(this.entries ?? []), ...page.entries] : page.entries;
      this.people = page.people;
      this.next = page.next;
      this.timeZone = page.timeZone;
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'The access log could not be loaded.';
    } finally {
      this.busy = false;
    }
  }

  private apply(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const filter: Filter = {};
    for (const key of ['person', 'from', 'to'] as const) {
      const value = String(form.get(key) ?? '');
      if (value) filter[key] = value;
    }
    void this.load(filter);
  }

  private async download() {
    this.problem = undefined;
    try {
      const res = await portal.api['access-log.csv'].$get({ query: this.filter });
      if (!res.ok) await readAnswer(res as unknown as Response);
      const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'access-log.csv';
      downloadFile(name, [await res.blob()], 'text/csv;charset=utf-8');
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'The file could not be made.';
    }
  }

  override render() {
    return html`<h1>Access log</h1>
      <p>
        Who has read or changed your record, and every change of who may see it: you, the caregivers you share with,
        and the clinic’s staff. Newest first. This needs a connection: the log is kept by the clinic.
      </p>
      <p><a href="/account/security">Back to Account and security</a></p>
      <form class="filter" @submit=${this.apply} aria-label="Filter the log">
        <div class="field">
          <label for="person">Person</label>
          <select id="person" name="person">
            <option value="">Everyone</option>
            ${this.people.map(
              (p) => html`<option value=${p.id} ?selected=${this.filter.person === p.id}>${whoInWords(p)}</option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="from">From</label>
          <input id="from" name="from" type="date" .value=${this.filter.from ?? ''} />
        </div>
        <div class="field">
          <label for="to">To</label>
          <input id="to" name="to" type="date" .value=${this.filter.to ?? ''} />
        </div>
        <button type="submit" ?disabled=${this.busy}>Apply</button>
      </form>
      ${this.timeZone ? html`<p class="hint">From and To are whole days in the clinic’s time (${this.timeZone}); times below are this device’s.</p>` : nothing}
      ${this.problem ? html`<p class="alert" role="alert">${this.problem}</p>` : nothing}
      ${this.renderEntries()}`;
  }

  private renderEntries() {
    if (this.entries === undefined) return this.busy ? html`<p role="status">Loading…</p>` : nothing;
    const filtered = Boolean(this.filter.person || this.filter.from || this.filter.to);
    if (this.entries.length === 0)
      return html`<p role="status">
        ${filtered ? 'Nothing in the log for this person or these days.' : 'Nothing yet: no one has read or changed your record.'}
      </p>`;
    const when = dateFormat({ dateStyle: 'medium', timeStyle: 'short' });
    return html`<div class="actions">
        <button class="secondary" type="button" @click=${() => void this.download()}>Download as CSV</button>
        <span>The file holds everything this filter shows, for a spreadsheet.</span>
      </div>
      <div class="table">
        <table>
          <caption>${this.entries.length} ${this.entries.length === 1 ? 'entry' : 'entries'}, newest first</caption>
          <thead>
            <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Kind</th><th scope="col">Result</th></tr>
          </thead>
          <tbody>
            ${this.entries.map(
              (e) => html`<tr>
                <td>${when.format(new Date(e.at))}</td>
                <td>${whoInWords(e.who)}</td>
                <td>${e.what}</td>
                <td>${ACCESS_KIND_WORDS[e.kind]}</td>
                <td class=${e.outcome === 'success' ? '' : 'refused'}>${outcomeInWords(e.outcome)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        this.next
          ? html`<p><button class="secondary" type="button" ?disabled=${this.busy} @click=${() => void this.load(this.filter, true)}>
              Show older entries
            </button></p>`
          : html`<p>That is the whole log${filtered ? ' for this filter' : ''}.</p>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-access-log-page': AccessLogPage;
  }
}
