import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { DiagnosticReport, Observation } from 'fhir/r4';
import type { Vault } from '../../record/vault.js';
import { RecordPage, showMore } from '../../session/record-page.js';
import {
  codeKey,
  flagOf,
  formatDate,
  observationValue,
  rangeText,
  reportResultIds,
} from '../../record/fhir-display.js';
import { labName } from '../../record/lab-names.js';

interface Group {
  key: string;
  title: string;
  date: string;
  results: Observation[];
}

/** Groups results: each report (panel) with its results, then the results of no report by day; newest first. */
export function groupResults(reports: DiagnosticReport[], observations: Observation[]): Group[] {
  const byId = new Map(observations.map((o) => [o.id!, o]));
  const inReport = new Set<string>();
  const groups: Group[] = [];
  for (const report of reports) {
    const results = reportResultIds(report)
      .map((id) => byId.get(id))
      .filter((o): o is Observation => Boolean(o));
    results.forEach((o) => inReport.add(o.id!));
    groups.push({
      key: `report-${report.id}`,
      title: labName(report.code, 'Report'),
      date: report.effectiveDateTime ?? report.issued ?? '',
      results,
    });
  }
  const byDay = new Map<string, Observation[]>();
  for (const o of observations) {
    if (inReport.has(o.id!)) continue;
    const day = (o.effectiveDateTime ?? o.issued ?? '').slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), o]);
  }
  for (const [day, results] of byDay)
    groups.push({ key: `day-${day}`, title: 'Measurements', date: results[0]!.effectiveDateTime ?? day, results });
  return groups.sort((a, b) => b.date.localeCompare(a.date));
}

export function testHref(o: Observation): string {
  return `/records/test?code=${encodeURIComponent(codeKey(o.code))}`;
}

/**
 * Test results, under names a patient understands (lab-names.ts; the technical name is on each test's page):
 * grouped by report (panel) and date, each with its value, unit, reference range and a flag in words;
 * "New" until the test is opened. Opening a test shows its history.
 */
@customElement('mcl-results-page')
export class ResultsPage extends RecordPage {
  protected readonly heading = 'Test results';
  @state() private groups: Group[] = [];
  @state() private unseen = new Set<string>();
  @state() private shown = 20;

  protected async load(vault: Vault, patientId: string) {
    const [reports, observations] = await Promise.all([
      vault.list<DiagnosticReport>(patientId, 'DiagnosticReport'),
      vault.list<Observation>(patientId, 'Observation'),
    ]);
    this.groups = groupResults(reports, observations);
    this.unseen = await vault.unseen(
      patientId,
      'Observation',
      observations.map((o) => o.id!),
    );
  }

  private row(o: Observation) {
    const flag = flagOf(o);
    const range = rangeText(o);
    return html`<tr>
      <th scope="row"><a href=${testHref(o)}>${labName(o.code)}</a>${this.unseen.has(o.id!) ? html` <span class="new">New</span>` : nothing}</th>
      <td>${observationValue(o)}${flag ? html` <span class="flag ${flag.level}">${flag.label}</span>` : nothing}</td>
      <td>${range ? html`<span class="visually-hidden">Normal range </span>${range}` : html`<span class="meta">No range given</span>`}</td>
    </tr>`;
  }

  protected renderBody() {
    if (!this.groups.length)
      return html`<p>No test results yet. When the clinic releases one, it appears here at once.</p>`;
    return html`${this.groups.slice(0, this.shown).map(
      (g) => html`<section class="card" aria-labelledby=${g.key}>
          <h2 id=${g.key}>${g.title} <span class="meta">· ${formatDate(g.date)}</span></h2>
          ${
            g.results.length
              ? html`<table>
                <thead><tr><th scope="col">Test</th><th scope="col">Result</th><th scope="col">Normal range</th></tr></thead>
                <tbody>${g.results.map((o) => this.row(o))}</tbody>
              </table>`
              : html`<p class="meta">The results of this report are not in your record.</p>`
          }
        </section>`,
    )}
      ${showMore(this.groups.length, this.shown, 'results', () => (this.shown += 20))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-results-page': ResultsPage;
  }
}
