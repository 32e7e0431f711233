import { css, html, nothing, svg } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Observation, Patient } from 'fhir/r4';
import type { Vault } from '../../record/vault.js';
import { RecordPage } from '../../session/record-page.js';
import { flagOf, formatDate, observationValue, rangeText, unitText } from '../../record/fhir-display.js';
import { labName, technicalName } from '../../record/lab-names.js';
import { adultOn, normalRange, type NormalRange } from '../../record/lab-range.js';

export interface Point {
  date: string;
  value: number;
}

/** The numeric points of a test's history, oldest first. */
export function points(history: Observation[]): Point[] {
  return history
    .filter((o) => o.valueQuantity?.value !== undefined && (o.effectiveDateTime ?? o.issued))
    .map((o) => ({ date: (o.effectiveDateTime ?? o.issued)!, value: o.valueQuantity!.value! }));
}

/** "Normal range: up to 99 mg/dL (the lab's range)": the band's text, in the chart's label and under it. */
export function rangeWords(range: NormalRange): string {
  const source = range.source === 'lab' ? "the lab's range" : "the clinic's usual range for adults; the lab sent none";
  return `Normal range: ${range.text} (${source})`;
}

/** The values the chart's vertical axis spans: the results and the normal range (from 0 when it has no low end). */
export function valueSpan(values: number[], range: NormalRange | undefined): [number, number] {
  const edges = range ? [range.low ?? Math.min(0, ...values), ...(range.high !== undefined ? [range.high] : [])] : [];
  let [v0, v1] = [Math.min(...values, ...edges), Math.max(...values, ...edges)];
  if (v0 === v1) [v0, v1] = [v0 - 1, v1 + 1];
  return [v0, v1];
}

/** The values written on the vertical axis: its ends, and the band's edges where they do not crowd an end. */
export function axisValues(v0: number, v1: number, range: NormalRange | undefined, y: (v: number) => number): number[] {
  const shown = [v1, v0];
  for (const edge of [range?.high, range?.low])
    if (edge !== undefined && shown.every((v) => Math.abs(y(v) - y(edge)) >= 16)) shown.push(edge);
  return shown;
}

const AXIS = '#5c6b73';
const INK = '#1a1a1a';
const LINE = '#0b5d66';
// The band's colours, also in the legend's swatch (styles below).
const BAND = '#dcefe3';
const BAND_EDGE = '#2e7d4f';

/**
 * One test over time, under the name a patient understands (the technical name and code below it): a chart (an SVG
 * with a text summary for screen readers) with the normal range as a shaded band, and the same values as a table,
 * newest first. Opening it marks the test's results as seen.
 */
@customElement('mcl-test-history-page')
export class TestHistoryPage extends RecordPage {
  // In the stylesheet, never in a style attribute: the CSP (style-src 'self', server/http/security-headers.ts)
  // refuses inline styles; Lit adopts these as a constructed stylesheet, which it allows. The SVG is coloured with
  // presentation attributes (fill, stroke), which are not styles.
  static override styles = [
    ...RecordPage.styles,
    css`
      svg.chart { max-width: 40rem; }
      .swatch { display: inline-block; width: 1.5em; height: 0.9em; vertical-align: -0.1em; margin-right: 0.35em; background: #dcefe3; border-top: 2px dashed #2e7d4f; border-bottom: 2px dashed #2e7d4f; }
      .technical { overflow-wrap: anywhere; }
    `,
  ];
  protected heading = 'Test history';
  @state() private history: Observation[] = [];
  @state() private range: NormalRange | undefined;

  private get code(): string {
    return new URLSearchParams(location.search).get('code') ?? '';
  }

  protected async load(vault: Vault, patientId: string) {
    const [history, patients] = await Promise.all([
      this.code ? vault.byCode<Observation>(patientId, 'Observation', this.code) : Promise.resolve([]),
      vault.list<Patient>(patientId, 'Patient', 1),
    ]);
    this.history = history;
    if (!history.length) return;
    const latest = history.at(-1)!;
    this.heading = labName(latest.code);
    this.range = normalRange(history, { adult: adultOn(patients[0], latest.effectiveDateTime ?? latest.issued) });
    await vault.markSeen(
      patientId,
      'Observation',
      history.map((o) => o.id!),
    );
  }

  private chart(data: Point[], unit: string, range: NormalRange | undefined) {
    const W = 640;
    const H = 240;
    const pad = { l: 56, r: 16, t: 16, b: 40 };
    const times = data.map((p) => Date.parse(p.date));
    const [t0, t1] = [Math.min(...times), Math.max(...times)];
    const values = data.map((p) => p.value);
    const [v0, v1] = valueSpan(values, range);
    const x = (t: number) => pad.l + ((t - t0) / (t1 - t0 || 1)) * (W - pad.l - pad.r);
    const y = (v: number) => H - pad.b - ((v - v0) / (v1 - v0)) * (H - pad.t - pad.b);
    const path = data
      .map((p, i) => `${i ? 'L' : 'M'}${x(Date.parse(p.date)).toFixed(1)},${y(p.value).toFixed(1)}`)
      .join(' ');
    const last = data.at(-1)!;
    const summary = `${data.length} results from ${formatDate(data[0]!.date)} to ${formatDate(last.date)}, lowest ${Math.min(...values)}, highest ${Math.max(...values)}, latest ${last.value} ${unit}.`;
    const label = `Chart of ${this.heading}: ${summary}${range ? ` Shaded band: ${rangeWords(range)}.` : ''}`;
    return html`<figure>
      <svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label=${label} class="chart">
        ${range ? this.band(range, y(range.high ?? v1), y(range.low ?? v0), pad.l, W - pad.r) : nothing}
        ${svg`<line x1=${pad.l} y1=${H - pad.b} x2=${W - pad.r} y2=${H - pad.b} stroke=${AXIS} />
          <line x1=${pad.l} y1=${pad.t} x2=${pad.l} y2=${H - pad.b} stroke=${AXIS} />
          ${axisValues(v0, v1, range, y).map(
            (v) =>
              svg`<text x=${pad.l - 6} y=${y(v) + 4} text-anchor="end" font-size="13" fill=${INK}>${Number(v.toFixed(1))}</text>`,
          )}
          <text x=${pad.l} y=${H - 12} font-size="13" fill=${INK}>${formatDate(data[0]!.date)}</text>
          <text x=${W - pad.r} y=${H - 12} text-anchor="end" font-size="13" fill=${INK}>${formatDate(last.date)}</text>
          <path d=${path} fill="none" stroke=${LINE} stroke-width="2.5" />
          ${data.map((p) => svg`<circle cx=${x(Date.parse(p.date))} cy=${y(p.value)} r="4" fill=${LINE} />`)}`}
      </svg>
      <figcaption class="meta">${summary}
        ${range ? html`<br /><span class="swatch" aria-hidden="true"></span>Shaded: ${rangeWords(range)}.` : nothing}</figcaption>
    </figure>`;
  }

  /** The normal range as a shaded band from `top` to `bottom` (pixels), dashed at the ends the range has. */
  private band(range: NormalRange, top: number, bottom: number, left: number, right: number) {
    const edge = (at: number) =>
      svg`<line x1=${left} y1=${at} x2=${right} y2=${at} stroke=${BAND_EDGE} stroke-width="1.5" stroke-dasharray="6 4" />`;
    return svg`<rect class="band" x=${left} y=${top} width=${right - left} height=${Math.max(0, bottom - top)} fill=${BAND} />
      ${range.high !== undefined ? edge(top) : nothing}${range.low !== undefined ? edge(bottom) : nothing}`;
  }

  protected renderBody() {
    if (!this.history.length)
      return html`<p>There are no results for this test in your record. <a href="/records/results">All test results</a></p>`;
    const data = points(this.history);
    const latest = this.history.at(-1)!;
    const unit = unitText(latest.valueQuantity?.unit);
    const technical = technicalName(latest.code);
    const range = this.range;
    return html`<p class="app-only"><a href="/records/results">← All test results</a></p>
      ${technical ? html`<p class="meta technical">Technical name: ${technical}</p>` : nothing}
      ${data.length >= 2 ? this.chart(data, unit, range) : nothing}
      ${range && data.length < 2 ? html`<p class="meta">${rangeWords(range)}.</p>` : nothing}
      <table>
        <caption class="visually-hidden">${this.heading}, every result, newest first</caption>
        <thead><tr><th scope="col">Date</th><th scope="col">Result</th><th scope="col">Normal range</th></tr></thead>
        <tbody>
          ${[...this.history].reverse().map((o) => {
            const flag = flagOf(o);
            return html`<tr><td>${formatDate(o.effectiveDateTime ?? o.issued)}</td>
              <td>${observationValue(o)}${flag ? html` <span class="flag ${flag.level}">${flag.label}</span>` : nothing}</td>
              <td>${rangeText(o) || html`<span class="meta">No range given</span>`}</td></tr>`;
          })}
        </tbody>
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-test-history-page': TestHistoryPage;
  }
}
