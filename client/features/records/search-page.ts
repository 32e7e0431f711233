import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { MedicationRequest } from 'fhir/r4';
import type { Vault } from '../../record/vault.js';
import { formStyles } from '../../ui/form-styles.js';
import { RecordPage } from '../../session/record-page.js';
import { SECTIONS } from '../../record/summary.js';
import { conceptText, formatDate, medicationName } from '../../record/fhir-display.js';
import { resourceDate } from '../../record/fhir-index.js';
import { labName } from '../../record/lab-names.js';
import { DraftKeeper } from '../../record/draft-keeper.js';

type Json = Record<string, any>;

export interface Hit {
  type: string;
  title: string;
  /** Other words it is found by: a test's coded (technical) name beside its plain title. */
  also?: string;
  date: string;
  href: string;
}

/** The words a resource is found by, and where it is shown. */
export function describe(r: Json): Hit {
  const section = SECTIONS.find((s) => s.type === r.resourceType);
  const title =
    r.resourceType === 'MedicationRequest'
      ? medicationName(r as MedicationRequest)
      : r.resourceType === 'Immunization'
        ? conceptText(r.vaccineCode)
        : r.resourceType === 'Encounter'
          ? [conceptText(r.type?.[0], 'Visit'), ...(r.reasonCode ?? []).map((c: Json) => conceptText(c))].join(' – ')
          : r.resourceType === 'DocumentReference'
            ? conceptText(r.type, 'Document')
            : r.resourceType === 'Observation'
              ? labName(r.code)
              : conceptText(r.code);
  const also = r.resourceType === 'Observation' ? conceptText(r.code) : undefined;
  const href =
    r.resourceType === 'Observation' && r.code?.coding?.[0]?.code
      ? `/records/test?code=${encodeURIComponent(`${r.code.coding[0].system ?? ''}|${r.code.coding[0].code}`)}`
      : (section?.path ?? '/records');
  return { type: r.resourceType, title, ...(also && also !== title ? { also } : {}), date: resourceDate(r), href };
}

/**
 * Search across the record: words in the names of tests (the plain name or the lab's), medicines, problems, vaccines, visits and documents,
 * narrowed by kind and by dates. Runs on the local record (works offline).
 */
export function search(resources: Json[], query: { text: string; type: string; from: string; to: string }): Hit[] {
  const words = query.text.toLowerCase().split(/\s+/).filter(Boolean);
  return resources
    .filter((r) => !query.type || r.resourceType === query.type)
    .map(describe)
    .filter((h) => (!query.from || h.date.slice(0, 10) >= query.from) && (!query.to || h.date.slice(0, 10) <= query.to))
    .filter((h) => {
      const text = `${h.title} ${h.also ?? ''}`.toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => b.date.localeCompare(a.date));
}

@customElement('mcl-search-page')
export class SearchPage extends RecordPage {
  static override styles = [...RecordPage.styles, formStyles];
  protected readonly heading = 'Search your record';
  @state() private all: Json[] = [];
  @state() private hits: Hit[] | undefined;
  @state() private query = { text: '', type: '', from: '', to: '' };
  private readonly drafts = new DraftKeeper(this, () => this.session?.account);

  protected async load(vault: Vault, patientId: string) {
    this.all = (await Promise.all(SECTIONS.map((s) => vault.list(patientId, s.type)))).flat();
    const params = new URLSearchParams(location.search);
    this.query = {
      text: params.get('q') ?? '',
      type: params.get('type') ?? '',
      from: params.get('from') ?? '',
      to: params.get('to') ?? '',
    };
    if (this.query.text || this.query.type || this.query.from || this.query.to)
      this.hits = search(this.all, this.query);
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    this.query = {
      text: String(data.get('q') ?? ''),
      type: String(data.get('type') ?? ''),
      from: String(data.get('from') ?? ''),
      to: String(data.get('to') ?? ''),
    };
    const params = new URLSearchParams(
      Object.entries({ q: this.query.text, type: this.query.type, from: this.query.from, to: this.query.to }).filter(
        ([, v]) => v,
      ),
    );
    history.replaceState(null, '', `${location.pathname}?${params}`);
    this.hits = search(this.all, this.query);
    void this.drafts.clear('q');
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#hits')?.focus());
  }

  protected renderBody() {
    const q = this.query;
    return html`<form @submit=${this.submit} role="search">
        <div class="field"><label for="q">Words to look for</label>
          <input id="q" name="q" type="text" data-draft="q" .value=${q.text} placeholder="for example cholesterol" /></div>
        <div class="field"><label for="type">Kind of entry</label>
          <select id="type" name="type" .value=${q.type}>
            <option value="">Everything</option>
            ${SECTIONS.map((s) => html`<option value=${s.type} ?selected=${q.type === s.type}>${s.title}</option>`)}
          </select></div>
        <div class="field"><label for="from">From date</label><input id="from" name="from" type="date" .value=${q.from} /></div>
        <div class="field"><label for="to">To date</label><input id="to" name="to" type="date" .value=${q.to} /></div>
        <button type="submit">Search</button>
      </form>
      ${
        this.hits === undefined
          ? nothing
          : html`<h2 id="hits" tabindex="-1">${this.hits.length ? `${this.hits.length} found` : 'Nothing found'}</h2>
            ${
              this.hits.length
                ? html`<ul class="items">${this.hits.slice(0, 200).map((h) => html`<li><a href=${h.href}>${h.title}</a> <span class="meta">· ${SECTIONS.find((s) => s.type === h.type)?.title ?? h.type} · ${formatDate(h.date)}</span></li>`)}</ul>
                  ${this.hits.length > 200 ? html`<p class="meta">The first 200 are shown: add words or dates to narrow it down.</p>` : nothing}`
                : html`<p>Try fewer or other words, or a wider range of dates.</p>`
            }`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-search-page': SearchPage;
  }
}
