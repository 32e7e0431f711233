import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { onSharedComputer, type SessionController } from '../../session/session-controller.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal, type Success } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import { createPasskey, passkeyProblem, supportsPasskeys } from '../../session/passkeys.js';
import { withStepUp, type ReauthDialog } from '../../session/reauth-dialog.js';
import { deviceName } from './device-name.js';
import './recovery-codes.js';
import '../../session/reauth-dialog.js';

/** The account's ways of signing in, as the server lists them (GET /api/factors). */
type Factors = Success<Awaited<ReturnType<typeof portal.api.factors.$get>>>;
type PasskeyView = Factors['passkeys'][number];

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Account → Security, "How you sign in": passkeys (add, rename, remove), authenticator app, text-message codes,
 * recovery codes. Changes that need a fresh sign-in ask for it (step-up dialog) and then go ahead.
 */
@customElement('mcl-factors-panel')
export class FactorsPanel extends LitElement {
  static override styles = [
    pageStyles,
    formStyles,
    css`
      ul.keys { list-style: none; padding: 0; }
      ul.keys li { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; justify-content: space-between; }
      .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; }
      .key { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 1.1rem; word-spacing: 0.3rem; }
      img.qr { display: block; width: 256px; height: 256px; image-rendering: pixelated; }
      .warning { color: var(--mcl-danger, #a4161a); font-weight: 600; }
    `,
  ];
  @property({ attribute: false }) session: SessionController | undefined;
  @query('mcl-reauth-dialog') private dialog!: ReauthDialog;
  @state() private factors: Factors | undefined;
  @state() private problem: string | undefined;
  @state() private notice: string | undefined;
  @state() private codes: string[] | undefined;
  @state() private totpSetup: { secret: string; qr: string } | undefined;
  @state() private smsFlow: { flow: string; message: string } | undefined;
  @state() private renaming: string | undefined;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load() {
    try {
      this.factors = await ok(portal.api.factors.$get());
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'How you sign in could not be loaded.';
    }
  }

  /** Runs a change with step-up, shows its outcome, reloads. */
  private async change(work: () => Promise<string | undefined>) {
    this.busy = true;
    this.problem = undefined;
    this.notice = undefined;
    try {
      const done = await withStepUp(this.dialog, work);
      // The list first, then the sentence: "removed" never shows beside the passkey it removed.
      await this.load();
      if (done) this.notice = done;
      void this.session?.refresh();
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : passkeyProblem(error);
    } finally {
      this.busy = false;
      await this.updateComplete;
      this.renderRoot
        .querySelector<HTMLElement>(this.codes ? '#codes-title' : '[role=alert], [role=status]')
        ?.focus?.();
    }
  }

  /** A patient's first second factor comes with ten recovery codes (shown once); other answers bring none. */
  private showCodes(answer: { recoveryCodes?: string[]; [field: string]: unknown }) {
    if (answer.recoveryCodes) this.codes = answer.recoveryCodes;
  }

  private addPasskey(event: SubmitEvent) {
    event.preventDefault();
    const name =
      String(new FormData(event.target as HTMLFormElement).get('name') ?? '').trim() || deviceName(navigator.userAgent);
    return this.change(async () => {
      this.showCodes(await createPasskey(name));
      return `Passkey "${name}" added. Next time, choose "Sign in with a passkey".`;
    });
  }

  private rename(event: SubmitEvent, id: string) {
    event.preventDefault();
    const name = String(new FormData(event.target as HTMLFormElement).get('name') ?? '');
    return this.change(async () => {
      // hono/client puts params into the path as they are: the id is encoded here, as before.
      await ok(portal.api.factors.passkeys[':id'].$patch({ param: { id: encodeURIComponent(id) }, json: { name } }));
      this.renaming = undefined;
      return `Renamed to "${name.trim()}".`;
    });
  }

  private removePasskey(p: PasskeyView) {
    if (!confirm(`Remove the passkey "${p.name}"? It will no longer sign you in.`)) return;
    return this.change(async () => {
      await ok(portal.api.factors.passkeys[':id'].$delete({ param: { id: encodeURIComponent(p.id) } }));
      return `Passkey "${p.name}" removed.`;
    });
  }

  private startTotp() {
    return this.change(async () => {
      this.totpSetup = await ok(portal.api.factors.totp.$post());
      return undefined;
    });
  }

  private confirmTotp(event: SubmitEvent) {
    event.preventDefault();
    const code = String(new FormData(event.target as HTMLFormElement).get('totp-code') ?? '');
    return this.change(async () => {
      this.showCodes(await ok(portal.api.factors.totp.confirm.$post({ json: { code } })));
      this.totpSetup = undefined;
      return 'Your authenticator app is set up. You will be asked for a code when you sign in with your password.';
    });
  }

  private removeTotp() {
    if (!confirm('Turn off codes from your authenticator app?')) return;
    return this.change(async () => {
      await ok(portal.api.factors.totp.$delete());
      return 'Authenticator app removed.';
    });
  }

  private startSms(event: SubmitEvent) {
    event.preventDefault();
    const phone = String(new FormData(event.target as HTMLFormElement).get('phone') ?? '');
    return this.change(async () => {
      this.smsFlow = await ok(portal.api.factors.sms.$post({ json: { phone } }));
      return undefined;
    });
  }

  private confirmSms(event: SubmitEvent) {
    event.preventDefault();
    const code = String(new FormData(event.target as HTMLFormElement).get('sms-code') ?? '');
    return this.change(async () => {
      this.showCodes(await ok(portal.api.factors.sms.confirm.$post({ json: { flow: this.smsFlow!.flow, code } })));
      this.smsFlow = undefined;
      return 'Text-message codes are on.';
    });
  }

  private removeSms() {
    if (!confirm('Turn off text-message codes?')) return;
    return this.change(async () => {
      await ok(portal.api.factors.sms.$delete());
      return 'Text-message codes turned off.';
    });
  }

  private newCodes() {
    if (!confirm('Make ten new recovery codes? The old ones will stop working.')) return;
    return this.change(async () => {
      this.showCodes(await ok(portal.api.factors['recovery-codes'].$post()));
      return 'New recovery codes made. The old ones no longer work.';
    });
  }

  private renderPasskeys(f: Factors) {
    return html`<h3 id="passkeys">Passkeys</h3>
      <p>A passkey signs you in with your fingerprint, face or phone screen lock. Nobody can guess it or trick you out of it.</p>
      ${
        f.passkeys.length
          ? html`<ul class="keys">
            ${f.passkeys.map(
              (p) => html`<li class="card">
              ${
                this.renaming === p.id
                  ? html`<form @submit=${(e: SubmitEvent) => this.rename(e, p.id)}>
                    <div class="field"><label for="rename-${p.id}">New name for "${p.name}"</label>
                      <input id="rename-${p.id}" name="name" type="text" maxlength="64" .value=${p.name} /></div>
                    <div class="actions"><button type="submit">Save</button>
                      <button type="button" class="secondary" @click=${() => (this.renaming = undefined)}>Cancel</button></div>
                  </form>`
                  : html`<span><strong>${p.name}</strong><br />
                      Added ${when(p.createdAt)}. ${p.lastUsedAt ? `Last used ${when(p.lastUsedAt)}.` : 'Not used yet.'}
                      ${p.flagged ? html`<br /><span class="warning">Blocked for safety: it answered like a copied passkey. Remove it and add it again.</span>` : nothing}</span>
                    <span class="actions">
                      <button type="button" class="secondary" aria-label="Rename ${p.name}" @click=${() => (this.renaming = p.id)}>Rename</button>
                      <button type="button" class="secondary" aria-label="Remove ${p.name}" ?disabled=${this.busy} @click=${() => this.removePasskey(p)}>Remove</button>
                    </span>`
              }
            </li>`,
            )}
          </ul>`
          : html`<p>You have no passkey yet.</p>`
      }
      ${
        onSharedComputer()
          ? html`<p>This is a shared computer: add passkeys on your own phone or computer.</p>`
          : supportsPasskeys()
            ? html`<form @submit=${this.addPasskey}>
            <div class="field"><label for="passkey-name">Name for a new passkey</label>
              <span class="hint" id="passkey-name-hint">So you can tell your passkeys apart, for example "My phone".</span>
              <input id="passkey-name" name="name" type="text" maxlength="64" aria-describedby="passkey-name-hint" .value=${deviceName(navigator.userAgent)} /></div>
            <button type="submit" ?disabled=${this.busy}>Add a passkey</button>
          </form>`
            : html`<p>This browser cannot make passkeys.</p>`
      }`;
  }

  private renderApp(f: Factors) {
    return html`<h3 id="app">Authenticator app</h3>
      ${
        f.totp
          ? html`<p>On: when you sign in with your password, we ask for the 6-digit code from your app.</p>
            <button type="button" class="secondary" ?disabled=${this.busy} @click=${this.removeTotp}>Turn off app codes</button>`
          : this.totpSetup
            ? html`<ol>
                <li>Open an authenticator app on your phone and add an account.</li>
                <li>Scan this code:<img class="qr" src=${this.totpSetup.qr} alt="QR code for your authenticator app. If you cannot scan it, type the key shown below." />
                  Or type this key: <span class="key" id="totp-key">${this.totpSetup.secret.match(/.{1,4}/g)!.join(' ')}</span></li>
                <li>Type the 6-digit code the app shows:</li>
              </ol>
              <form @submit=${this.confirmTotp} novalidate>
                <div class="field"><label for="totp-code">Code from the app</label>
                  <input id="totp-code" name="totp-code" type="text" inputmode="numeric" autocomplete="one-time-code" /></div>
                <button type="submit" ?disabled=${this.busy}>Confirm</button>
              </form>`
            : html`<p>An app such as Google Authenticator, Microsoft Authenticator or 1Password shows a new code every 30 seconds.</p>
              <button type="button" ?disabled=${this.busy} @click=${this.startTotp}>Set up an authenticator app</button>`
      }`;
  }

  private renderSms(f: Factors) {
    return html`<h3 id="sms">Text-message codes</h3>
      <p>Less safe than a passkey or an app (texts can be redirected): best kept as a backup.</p>
      ${
        f.sms
          ? html`<p>On: codes go to ${f.sms.to}.</p>
            <button type="button" class="secondary" ?disabled=${this.busy} @click=${this.removeSms}>Turn off text codes</button>`
          : this.smsFlow
            ? html`<p role="status">${this.smsFlow.message}</p>
              <form @submit=${this.confirmSms} novalidate>
                <div class="field"><label for="sms-code">Code from the text message</label>
                  <input id="sms-code" name="sms-code" type="text" inputmode="numeric" autocomplete="one-time-code" /></div>
                <button type="submit" ?disabled=${this.busy}>Confirm</button>
              </form>`
            : html`<form @submit=${this.startSms} novalidate>
              <div class="field"><label for="sms-phone">Mobile number</label>
                <span class="hint" id="sms-phone-hint">With the country code, for example +1 507 555 0123.</span>
                <input id="sms-phone" name="phone" type="tel" autocomplete="tel" aria-describedby="sms-phone-hint" /></div>
              <button type="submit" ?disabled=${this.busy}>Send me a code</button>
            </form>`
      }`;
  }

  override render() {
    const f = this.factors;
    return html`<mcl-reauth-dialog .session=${this.session}></mcl-reauth-dialog>
      ${this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem}</p>` : nothing}
      ${this.notice ? html`<p class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      ${this.codes ? html`<mcl-recovery-codes .codes=${this.codes} @saved=${() => (this.codes = undefined)}></mcl-recovery-codes>` : nothing}
      ${
        !f
          ? html`<p role="status">Loading…</p>`
          : html`${this.renderPasskeys(f)}
            ${
              f.staff
                ? html`<p>Staff accounts sign in with passkeys only.</p>`
                : html`${this.renderApp(f)} ${this.renderSms(f)}
                  <h3 id="recovery">Recovery codes</h3>
                  ${
                    f.recoveryCodesLeft
                      ? html`<p>You have ${f.recoveryCodesLeft} unused recovery ${f.recoveryCodesLeft === 1 ? 'code' : 'codes'}.</p>
                        <button type="button" class="secondary" ?disabled=${this.busy} @click=${this.newCodes}>Make new recovery codes</button>`
                      : html`<p>Recovery codes come with your first passkey, app or text codes.</p>`
                  }`
            }`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-factors-panel': FactorsPanel;
  }
}
