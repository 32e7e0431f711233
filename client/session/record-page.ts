import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { sessionContext } from './session-context.js';
import { SessionWatch } from './session-watch.js';
import type { SessionController } from './session-controller.js';
import { pageStyles } from '../ui/shared-styles.js';
import type { Vault } from '../record/vault.js';
import { RecordController } from '../record/record-session.js';
import { formatDate } from '../record/fhir-display.js';
import { peopleOf, viewedPerson, type Person } from '../record/viewing.js';
import { CAREGIVER_CONSENTS, type CareScope } from '../../common/caregiver-consent.js';
import type { Patient } from 'fhir/r4';
import { patientIdentity, type PatientIdentity } from '../record/patient-identity.js';
import { printButton, printHeader, printStyles, runningHeadText, setRunningHead } from './print-page.js';

/** What a page is about, in words for "… has not shared their … with you". */
const SHARED_WHAT: Record<CareScope, string> = {
  records: 'health record',
  appointments: 'appointments',
  messages: 'messages with the care team',
  refills: 'prescriptions and refill requests',
};

/**
 * Said instead of a page when the person viewed has not allowed what it shows ([3/11] troubleshooting): which
 * permission is missing, and who can add it. A guardian's access is set by the care team (and by the child's age).
 */
export function missingScopeNotice(person: Person, scope: CareScope) {
  const label = CAREGIVER_CONSENTS.at(-1)!.scopes[scope].label;
  if (person.as === 'guardian')
    return html`<p role="status">As ${person.name}’s guardian you do not have access to their ${SHARED_WHAT[scope]} in the portal.
      The care team sets what a guardian may see, and it changes with the young person’s age. To ask about it,
      <a href="/help">contact the care team</a>.</p>`;
  return html`<p role="status">${person.name} has not shared their ${SHARED_WHAT[scope]} with you: the permission
      “${label}” is not part of what they allowed.</p>
    <p>Only ${person.name} can add it: they sign in and go to <strong>Account → Sharing</strong>, choose Change
      beside your name and tick “${label}”.</p>`;
}

/** Styles every record view shares: readable lists and tables that fit a phone. */
export const recordStyles = css`
  ul.items { list-style: none; padding: 0; margin: 0; }
  ul.items > li { margin: 0 0 0.75rem; }
  .meta { color: #4a5560; font-size: 0.95rem; }
  .flag { display: inline-block; font-weight: 700; padding: 0 0.4rem; border-radius: 4px; border: 2px solid currentColor; }
  .flag.high, .flag.critical-high { color: #8a1c1c; }
  .flag.low, .flag.critical-low { color: #1d4f91; }
  .flag.abnormal { color: #7a4b00; }
  .new { display: inline-block; font-weight: 700; color: #fff; background: #0b5d66; padding: 0 0.4rem; border-radius: 4px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 0.4rem 0.75rem 0.4rem 0; border-bottom: 1px solid var(--mcl-border, #c9d2d6); vertical-align: top; }
  .status { margin: 0 0 1rem; }
  pre.note { white-space: pre-wrap; font: inherit; background: #f4f7f8; padding: 0.75rem; border-radius: 6px; max-height: 30rem; overflow: auto; }
  @media (max-width: 40rem) { th, td { padding-right: 0.4rem; } }
`;

/** Said when the browser had removed this device's copy of the record (storage eviction) and it comes back. */
export function lostCopyNotice(rs: { lostCopy: boolean; syncing: boolean }) {
  if (!rs.lostCopy) return nothing;
  return html`<strong>Your browser removed the copy of your record from this device to free space.</strong>
    ${rs.syncing ? 'It is being downloaded again.' : navigator.onLine ? 'It has been downloaded again.' : 'It will be downloaded again when you are back online.'} `;
}

/** "Show older …" under a long list: how many more there are, and a button that shows the next page of them. */
export function showMore(total: number, shown: number, what: string, more: () => void) {
  return total > shown
    ? html`<button type="button" class="secondary" @click=${more}>Show older ${what} (${total - shown} more)</button>`
    : nothing;
}

/**
 * A page that shows part of the local record. It reads only the local database (through the record session's
 * vault), so it behaves the same online and offline. It reads again whenever the record changes, whoever changed
 * it (a sync, the outbox sending, another tab): a live query watches the record (`changes`); during a sync it
 * waits for the sync to finish, then reads once.
 */
export abstract class RecordPage extends LitElement {
  static override styles = [pageStyles, recordStyles, printStyles];

  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;
  protected readonly sessionWatch = new SessionWatch(this);
  /** Live: each change to the record (Vault.changes) makes the page read again. */
  protected readonly record = new RecordController(this, { live: true });
  @state() protected loaded = false;

  protected abstract readonly heading: string;
  /** What a caregiver must be allowed to see this page for someone else ([3/11]); most pages show the record. */
  protected readonly scope: CareScope = 'records';
  /** Whether the page has Print ([4/11]): every view of the record does; a form to fill in does not. */
  protected readonly printable: boolean = true;
  /** Whose record this is, for the printed header: the record's own Patient, read beside what the page shows. */
  @state() private identity: PatientIdentity | undefined;
  /** Reads what the page shows from the vault. */
  protected abstract load(vault: Vault, patientId: string): Promise<void>;
  protected abstract renderBody(): TemplateResult | typeof nothing;

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.record.update(this.session?.account, (vault, patientId) =>
      Promise.all([
        this.load(vault, patientId),
        this.printable
          ? vault.list<Patient>(patientId, 'Patient', 1).then(([p]) => (this.identity = patientIdentity(p)))
          : undefined,
      ]).then(() => (this.loaded = true)),
    );
  }

  /** Printed at the time it is printed: the header renders again just before the browser lays out the pages. */
  private readonly beforePrint = () => this.requestUpdate();
  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('beforeprint', this.beforePrint);
  }
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('beforeprint', this.beforePrint);
    setRunningHead(this, undefined);
  }

  /** The name the portal knows the person by, for a record that holds no Patient yet. */
  private get knownName(): string | undefined {
    const account = this.session?.account;
    return account ? (viewedPerson(account)?.name ?? account.displayName) : undefined;
  }

  override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.printable && this.loaded) setRunningHead(this, runningHeadText(this.identity, this.knownName));
  }

  protected renderStatus() {
    const rs = this.record.session;
    if (!rs) return nothing;
    const p = rs.progress;
    if (rs.syncing && p?.first && p.total > 0) {
      return html`<p class="status" role="status">Downloading your record: ${p.done} of ${p.total}
        <progress max=${p.total} value=${p.done} aria-hidden="true"></progress></p>`;
    }
    return html`<p class="status meta" role="status">
      ${lostCopyNotice(rs)}
      ${rs.problem ? html`${rs.problem} ` : nothing}
      ${rs.lastSyncAt ? html`Up to date as of ${formatDate(rs.lastSyncAt, true)}.` : rs.syncing ? 'Getting your record…' : 'Not downloaded yet.'}
      ${rs.syncing && rs.lastSyncAt ? ' Checking for anything new…' : nothing}</p>`;
  }

  override render() {
    const account = this.session?.account;
    if (!account) {
      return html`<h1>${this.heading}</h1><p>Please <a href="/sign-in">sign in</a> to see your health record.</p>`;
    }
    const person = viewedPerson(account);
    if (person && !person.self && !person.scopes.includes(this.scope))
      return html`<h1>${this.heading}</h1>${missingScopeNotice(person, this.scope)}`;
    if (this.record.session?.ended)
      return html`<h1>${this.heading}</h1><p role="alert">${this.record.session.problem}</p>`;
    if (!person && !account.patientId && account.kind === 'patient')
      return html`<h1>${this.heading}</h1><p role="status">${
        peopleOf(account.id)
          ? 'No one is sharing their record with you at the moment. When someone invites you, the link in their email brings you here.'
          : 'Finding the people you help…'
      }</p>`;
    const print = this.printable && this.loaded;
    return html`${print ? printHeader(this.identity, this.knownName, new Date()) : nothing}
      <h1>${this.heading}</h1>${this.renderStatus()}
      ${print ? printButton() : nothing}
      ${this.loaded ? this.renderBody() : html`<p>Opening your record…</p>`}`;
  }
}
