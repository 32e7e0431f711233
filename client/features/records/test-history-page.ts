import { css, html, nothing, svg } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Observation } from 'fhir/r4';
import type { Vault } from '../../record/vault.js';
import { RecordPage } from '../../session/record-page.js';
import { conceptText, flagOf, formatDate, observationValue, rangeText, unitText } from '../../record/fhir-display.js';

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

/**
 * One test over time: a chart (an SVG with a text summary for screen readers) and the same values as a table,
 * newest first. Opening it marks the test's results as seen.
 */
@customElement('mcl-test-history-page')
export class TestHistoryPage extends RecordPage {
  // In the stylesheet, not a style attribute: the CSP (style-src 'self', server/http/security-headers.ts) refuses
  // inline styles; Lit adopts these as a constructed stylesheet, which it allows.
  static override styles = [
    ...RecordPage.styles,
    css`
    svg.chart { max-width: 40rem; }
  `,
  ];
  protected heading = 'Test history';
  @state() private history: Observation[] = [];

  private get code(): string {
    return new URLSearchParams(location.search).get('code') ?? '';
  }

  protected async load(vault: Vault, patientId: string) {
    this.history = this.code ? await vault.byCode<Observation>(patientId, 'Observation', this.code) : [];
    if (this.history.length) {
      this.heading = conceptText(this.history[0]!.code);
      await vault.markSeen(
        patientId,
        'Observation',
        this.history.map((o) => o.id!),
      );
    }
  }

  private chart(data: Point[], unit: string) {
    const W = 640;
    const H = 240;
    const pad = { l: 56, r: 16, t: 16, b: 40 };
    const times = data.map((p) => Date.parse(p.date));
    const [t0, t1] = [Math.min(...times), Math.max(...times)];
    const values = data.map((p) => p.value);
    let [v0, v1] = [Math.min(...values), Math.max(...values)];
    if (v0 === v1) [v0, v1] = [v0 - 1, v1 + 1];
    const x = (t: number) => pad.l + ((t - t0) / (t1 - t0 || 1)) * (W - pad.l - pad.r);
    const y = (v: number) => H - pad.b - ((v - v0) / (v1 - v0)) * (H - pad.t - pad.b);
    const path = data
      .map((p, i) => `${i ? 'L' : 'M'}${x(Date.parse(p.date)).toFixed(1)},${y(p.value).toFixed(1)}`)
      .join(' ');
    const last = data.at(-1)!;
    const summary = `${data.length} results from ${formatDate(data[0]!.date)} to ${formatDate(last.date)}, lowest ${Math.min(...values)}, highest ${Math.max(...values)}, latest ${last.value} ${unit}.`;
    return html`<figure>
      <svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Chart of ${this.heading}: ${summary}" class="chart">
        ${svg`<line x1=${pad.l} y1=${H - pad.b} x2=${W - pad.r} y2=${H - pad.b} stroke="#5c6b73" />
          <line x1=${pad.l} y1=${pad.t} x2=${pad.l} y2=${H - pad.b} stroke="#5c6b73" />
          <text x=${pad.l - 6} y=${y(v1) + 4} text-anchor="end" font-size="13" fill="#1a1a1a">${Number(v1.toFixed(1))}</text>
          <text x=${pad.l - 6} y=${y(v0) + 4} text-anchor="end" font-size="13" fill="#1a1a1a">${Number(v0.toFixed(1))}</text>
          <text x=${pad.l} y=${H - 12} font-size="13" fill="#1a1a1a">${formatDate(data[0]!.date)}</text>
          <text x=${W - pad.r} y=${H - 12} text-anchor="end" font-size="13" fill="#1a1a1a">${formatDate(last.date)}</text>
          <path d=${path} fill="none" stroke="#0b5d66" stroke-width="2.5" />
          ${data.map((p) => svg`<circle cx=${x(Date.parse(p.date))} cy=${y(p.value)} r="4" fill="#0b5d66" />`)}`}
      </svg>
      <figcaption class="meta">${summary}</figcaption>
    </figure>`;
  }

  protected renderBody() {
    if (!this.history.length)
      return html`<p>There are no results for this test in your record. <a href="/records/results">All test results</a></p>`;
    const data = points(this.history);
    const unit = unitText(this.history[0]!.valueQuantity?.unit);
    return html`<p><a href="/records/results">← All test results</a></p>
      ${data.length >= 2 ? this.chart(data, unit) : nothing}
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
