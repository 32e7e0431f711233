import { css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { Vault } from '../../record/vault.js';
import { RecordPage } from '../../session/record-page.js';
import { exportRecord, noteExport } from '../../record/export.js';
import { downloadFile } from '../../ui/download.js';
import { formStyles } from '../../ui/form-styles.js';
import type { ExportKind } from '../../../common/fhir-export/make.js';
import type { ReauthDialog } from '../../session/reauth-dialog.js';
import '../../session/reauth-dialog.js';

const FILES: { kind: ExportKind; button: string; heading: string; about: string }[] = [
  {
    kind: 'fhir',
    heading: 'Your whole record',
    button: 'Your whole record (FHIR R4 Bundle, .json)',
    about:
      'Everything in your record here: visits, test results, medications, allergies, immunizations, documents and messages, in HL7 FHIR R4, the format clinics’ computer systems import. For a clinic that takes over your care. It can be a large file.',
  },
  {
    kind: 'ips',
    heading: 'A summary for a doctor anywhere',
    button: 'International Patient Summary (IPS, .json)',
    about:
      'A short summary in the international standard for care abroad: your current medications, allergies and health problems, with your immunizations, test results, procedures and vital signs. For a doctor or clinic you visit, in this country or another.',
  },
];

/**
 * "Download for another clinic" ([4/11]): the whole record as a FHIR R4 Bundle, or an International Patient
 * Summary, made on this device from the local record (in a worker: client/record/export.ts), so it works offline
 * and sends nothing of the record. Each download is told to the server through the outbox for the patient's access
 * log (and the account holder gets an email); offline, the page says it will be noted when the device is back online.
 * Exporting records needs a recent sign-in (SECURITY.md, step-up): online, when the last sign-in is more than five
 * minutes old, the person confirms it is them first. Offline there is no one to ask: the record was opened on this
 * device (a sign-in, or the device's PIN or passkey), and the export is noted later.
 */
@customElement('mcl-export-page')
export class ExportPage extends RecordPage {
  static override styles = [
    ...RecordPage.styles,
    formStyles,
    css`
      section { margin: 0 0 1.5rem; }
    `,
  ];
  protected readonly heading = 'Download for another clinic';
  @state() private entries = 0;
  @state() private busy: ExportKind | undefined;
  @state() private saved: string | undefined;
  @state() private problem: string | undefined;
  @query('mcl-reauth-dialog') private dialog!: ReauthDialog;
  private vault: Vault | undefined;
  private patientId = '';

  /** Online with a session whose last sign-in is older than the step-up window: ask first. */
  private async confirmed(): Promise<boolean> {
    const fresh = this.session?.info?.freshUntil;
    if (!navigator.onLine || !fresh || Date.parse(fresh) > Date.now()) return true;
    return this.dialog.confirm();
  }

  protected async load(vault: Vault, patientId: string) {
    this.vault = vault;
    this.patientId = patientId;
    this.entries = (await vault.changes(patientId)).resources;
  }

  private async download(kind: ExportKind) {
    if (!this.vault || this.busy) return;
    this.busy = kind;
    this.saved = this.problem = undefined;
    try {
      if (!(await this.confirmed())) {
        this.problem = 'Nothing was downloaded: we need you to confirm it is you first.';
        return;
      }
      const file = await exportRecord(this.vault, this.patientId, kind);
      downloadFile(file.name, [file.text], 'application/fhir+json');
      await noteExport(this.vault, this.patientId, kind);
      this.saved = `Saved ${file.name}. ${
        navigator.onLine
          ? 'It is noted in your access log.'
          : 'You are offline: the download will be noted in your access log when you are back online.'
      }`;
    } catch {
      this.problem = 'The file could not be made on this device. Please try again.';
    } finally {
      this.busy = undefined;
    }
  }

  protected renderBody() {
    return html`<p>To see a doctor or clinic outside this practice, give them one of these files. Both are made on
        this device from your record as it is here (${this.entries} entries), so they work without a connection.
        Nothing is sent: you choose whom to give the file to.</p>
      ${FILES.map(
        (f) =>
          html`<section>
            <h2>${f.heading}</h2>
            <p>${f.about}</p>
            <button type="button" ?disabled=${this.busy !== undefined} @click=${() => this.download(f.kind)}>
              ${this.busy === f.kind ? 'Making the file…' : f.button}
            </button>
          </section>`,
      )}
      <p role="status">${this.saved ?? nothing}</p>
      ${this.problem ? html`<p class="alert" role="alert">${this.problem}</p>` : nothing}
      <p class="meta">The files are not encrypted: they hold your health information as it is. Keep them safe, and
        give them only to people you trust with it.</p>
      <mcl-reauth-dialog .session=${this.session}></mcl-reauth-dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-export-page': ExportPage;
  }
}
