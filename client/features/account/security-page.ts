import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { sessionContext } from '../../session/session-context.js';
import { SessionWatch } from '../../session/session-watch.js';
import type { SessionController } from '../../session/session-controller.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal, type Success } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { deviceName } from './device-name.js';
import { describeAction } from '../../../common/audit-words.js';
import './factors-panel.js';
import './contact-panel.js';
import './notifications-panel.js';
import './device-panel.js';

export { deviceName };

/** The account's open sessions and its recent audit entries, as the server lists them. */
type SessionRow = Success<Awaited<ReturnType<typeof portal.api.session.all.$get>>>['sessions'][number];
type AuditEntry = Success<Awaited<ReturnType<typeof portal.api.audit.$get>>>['entries'][number];

/** Account → Security: where you are signed in, ending any of those sessions, and recent activity. */
@customElement('mcl-security-page')
export class SecurityPage extends LitElement {
  static override styles = [
    pageStyles,
    css`
      ul { list-style: none; padding: 0; }
      li { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; justify-content: space-between; }
      table { border-collapse: collapse; }
      th, td { text-align: left; padding: 0.35rem 1rem 0.35rem 0; border-bottom: 1px solid var(--mcl-border, #c9d2d6); }
    `,
  ];

  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;
  protected readonly sessionWatch = new SessionWatch(this);
  @state() private sessions: SessionRow[] | undefined;
  @state() private problem: string | undefined;
  @state() private activity: AuditEntry[] | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.sessions = (await ok(portal.api.session.all.$get())).sessions;
      this.activity = (await ok(portal.api.audit.$get({ query: { limit: '20' } }))).entries;
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'Your sessions could not be loaded.';
    }
  }

  private async end(handle: string) {
    try {
      await ok(portal.api.session.all[':handle'].$delete({ param: { handle } }));
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'That session could not be ended.';
    }
    await this.load();
  }

  override render() {
    const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    return html`<h1>Account and security</h1>
      ${this.session?.account ? html`<p>Signed in as <strong>${this.session.account.displayName}</strong> (${this.session.account.username}).</p>` : nothing}
      ${this.problem ? html`<p role="alert">${this.problem}</p>` : nothing}
      <h2>How you sign in</h2>
      <mcl-factors-panel .session=${this.session}></mcl-factors-panel>
      <h2>Contact details</h2>
      <mcl-contact-panel .session=${this.session}></mcl-contact-panel>
      ${this.session?.account?.kind === 'patient' ? html`<h2>Notifications</h2><mcl-notifications-panel></mcl-notifications-panel>` : nothing}
      ${
        this.session?.account?.kind === 'patient'
          ? html`<h2>Sharing</h2>
            ${this.session.account.patientId ? html`<p><a href="/account/sharing">People who help you: invite, change or end</a></p>` : nothing}
            <p><a href="/account/people">People you help</a></p>`
          : nothing
      }
      <h2>This device</h2>
      <mcl-device-panel .session=${this.session}></mcl-device-panel>
      <h2>Where you are signed in</h2>
      ${
        this.sessions === undefined
          ? html`<p role="status">Loading…</p>`
          : html`<ul>
            ${this.sessions.map(
              (s) => html`<li class="card">
                <span><strong>${deviceName(s.userAgent)}</strong>${s.current ? ' (this device)' : ''}<br />
                  Last active ${when(s.lastActiveAt)}${s.ip ? `, from ${s.ip}` : ''}</span>
                ${
                  s.current
                    ? html`<button class="secondary" @click=${() => void this.session?.signOut()}>Sign out here</button>`
                    : html`<button class="secondary" aria-label="End the session on ${deviceName(s.userAgent)}, last active ${when(s.lastActiveAt)}"
                      @click=${() => void this.end(s.handle)}>End this session</button>`
                }
              </li>`,
            )}
          </ul>`
      }
      <h2>Recent activity on your account and record</h2>
      ${
        this.session?.account?.patientId
          ? html`<p><a href="/account/access-log">Access log: who has seen your record</a>, by person and day, and as a file.</p>`
          : nothing
      }
      ${
        this.activity === undefined
          ? nothing
          : this.activity.length === 0
            ? html`<p>Nothing yet.</p>`
            : html`<table>
              <caption class="visually-hidden">Recent activity, newest first</caption>
              <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">From</th></tr></thead>
              <tbody>
                ${this.activity.map((e) => html`<tr><td>${when(e.at)}</td><td>${describeAction(e.action)}</td><td>${e.ip ?? ''}</td></tr>`)}
              </tbody>
            </table>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-security-page': SecurityPage;
  }
}
