import { css, html, nothing } from 'lit';
import { formatDate } from '../record/fhir-display.js';
import type { PatientIdentity } from '../record/patient-identity.js';

/**
 * Printing a record page ([4/11]): a Print button on every record view, and, on paper only, a header that says whose
 * record it is (name, date of birth, MRN) and when it was printed. The shell hides its own parts in print
 * (app/app.ts) and the document's `@page` rules number the pages (client/app.css).
 */

/** The button: the browser's own print dialog, which also offers "Save as PDF". Hidden on paper. */
export function printButton() {
  return html`<p class="print-action"><button type="button" class="secondary" @click=${() => window.print()}>
      Print this page</button></p>`;
}

/**
 * Shown only in print: whose record this is. `who` is the record's Patient, or (no Patient in the record yet) only
 * the name the portal knows them by. The time is the time of this render: the page renders again on `beforeprint`.
 */
export function printHeader(who: PatientIdentity | undefined, fallbackName: string | undefined, printedAt: Date) {
  const name = who?.name ?? fallbackName;
  return html`<div class="print-header">
    ${name ? html`<p class="print-name">${name}</p>` : nothing}
    <p>
      ${who?.birthDate ? html`<span>Date of birth: ${formatDate(who.birthDate)}</span>` : nothing}
      ${who?.mrn ? html`<span>MRN: ${who.mrn}</span>` : nothing}
      <span>Printed ${formatDate(printedAt.toISOString(), true)}</span>
    </p>
  </div>`;
}

/** A CSS string holding `text` as it is (a quote or backslash in a name cannot end it). */
const cssString = (text: string) => `"${text.replace(/[\\"]/g, '\\$&').replace(/[\n\r\f]/g, ' ')}"`;

/** The document's running head: whose record, at the top of every printed page (a margin box, so not in the flow). */
const runningHead = typeof CSSStyleSheet === 'function' ? new CSSStyleSheet() : undefined;
let runningHeadOwner: object | undefined;

/**
 * Puts "name · born … · MRN …" in the top margin of every printed page, for `owner` (the record page shown), or
 * takes it away (`text` undefined) if `owner` is the one that put it there. `@page` rules apply only from the
 * document's own style sheets, not from a shadow root: hence a sheet adopted by the document.
 */
export function setRunningHead(owner: object, text: string | undefined): void {
  if (!runningHead || (!text && runningHeadOwner !== owner)) return;
  runningHeadOwner = text ? owner : undefined;
  if (!document.adoptedStyleSheets.includes(runningHead))
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, runningHead];
  runningHead.replaceSync(
    text
      ? `@page { @top-left { content: ${cssString(text)}; font-family: system-ui, sans-serif; font-size: 9pt; color: #000; } }`
      : '',
  );
}

/** The running head's words: name, date of birth and MRN, as far as they are known. */
export function runningHeadText(who: PatientIdentity | undefined, fallbackName: string | undefined) {
  const name = who?.name ?? fallbackName;
  if (!name) return undefined;
  return [name, who?.birthDate && `born ${formatDate(who.birthDate)}`, who?.mrn && `MRN ${who.mrn}`]
    .filter(Boolean)
    .join(' · ');
}

/**
 * Print rules for a record page's shadow root: what acts only in the app goes (buttons, links styled as buttons,
 * anything marked `app-only`, the sync status), colours turn to black on white, headings stay with what follows,
 * cards are not split, table headers repeat on each page and rows are not cut.
 */
export const printStyles = css`
  .print-header {
    display: none;
  }
  @media print {
    :host {
      color: #000;
      font-size: 11pt;
      line-height: 1.35;
    }
    .print-header {
      display: block;
      border-bottom: 2px solid #000;
      padding: 0 0 0.4rem;
      margin: 0 0 0.75rem;
    }
    .print-header p {
      margin: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 0 1.5rem;
    }
    .print-header .print-name {
      font-size: 14pt;
      font-weight: 700;
    }
    button,
    a.button,
    .app-only,
    .print-action,
    .status,
    progress,
    form[role='search'] {
      display: none !important;
    }
    a {
      color: #000;
      text-decoration: none;
    }
    h1,
    h2,
    h3 {
      break-after: avoid;
      page-break-after: avoid;
    }
    h1 {
      font-size: 18pt;
    }
    h2 {
      font-size: 13pt;
    }
    .card,
    ul.items > li,
    figure {
      break-inside: avoid;
      page-break-inside: avoid;
      border-color: #000;
      background: none;
    }
    .card {
      padding: 0.5rem 0.75rem;
      margin-bottom: 0.6rem;
    }
    table {
      break-inside: auto;
    }
    thead {
      display: table-header-group;
    }
    tr,
    th,
    td {
      break-inside: avoid;
      page-break-inside: avoid;
    }
    th,
    td {
      border-bottom-color: #777;
    }
    .meta {
      color: #333;
    }
    .flag,
    .flag.high,
    .flag.low,
    .flag.abnormal,
    .flag.critical-high,
    .flag.critical-low {
      color: #000;
      border-color: #000;
    }
    .new {
      color: #000;
      background: none;
      border: 1px solid #000;
    }
    pre.note {
      max-height: none;
      overflow: visible;
      background: none;
      border: 1px solid #777;
    }
  }
`;
