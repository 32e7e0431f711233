import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { sessionContext } from '../../app/session-context.js';
import type { SessionController } from '../../app/session-controller.js';
import { api, ApiProblem } from '../../data/api.js';
import { pageStyles } from '../../ui/shared-styles.js';

interface SessionRow {
  handle: string;
  current: boolean;
  createdAt: string;
  lastActiveAt: string;
  ip: string | null;
  userAgent: string | null;
}

/** A short device name from a user-agent string, for people rather than engineers. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Chrome\//.test(userAgent) ? 'Chrome' : /Firefox\//.test(userAgent) ? 'Firefox' : /Safari\//.test(userAgent) ? 'Safari' : 'A browser';
  const os = /Android/.test(userAgent) ? 'Android' : /iPhone|iPad/.test(userAgent) ? 'iPhone or iPad' : /Windows/.test(userAgent) ? 'Windows' : /Mac OS X/.test(userAgent) ? 'Mac' : /Linux/.test(userAgent) ? 'Linux' : 'a device';
  return `${browser} on ${os}`;
}

interface AuditEntry {
  seq: number;
  at: string;
  action: string;
  outcome: string;
  ip: string | null;
}

const ACTIONS: Record<string, string> = {
  'sign-in': 'Signed in',
  'sign-in.failed': 'Wrong password entered',
  'sign-in.throttled': 'Sign-in slowed down after wrong passwords',
  'sign-out': 'Signed out',
  'session.timeout': 'Signed out after inactivity',
  'session.end': 'Ended a session on another device',
  'signup.verified': 'Account created',
  'password-reset': 'Password changed with a reset link',
  'password-reset.requested': 'Password reset requested',
  'record.view': 'Your record was viewed',
  'record.export': 'Your record was exported',
  'activation-code.issued': 'The clinic issued an activation code',
};

/** What an audit action means, in words for the account holder. */
export function describeAction(action: string): string {
  return ACTIONS[action] ?? action.replace(/[.-]/g, ' ');
}

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
  @state() private sessions: SessionRow[] | undefined;
  @state() private problem: string | undefined;
  @state() private activity: AuditEntry[] | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.sessions = (await api<{ sessions: SessionRow[] }>('GET', '/api/session/all')).sessions;
      this.activity = (await api<{ entries: AuditEntry[] }>('GET', '/api/audit?limit=20')).entries;
    } catch (error) {
      this.problem = error instanceof ApiProblem ? error.message : 'Your sessions could not be loaded.';
    }
  }

  private async end(handle: string) {
    try {
      await api('DELETE', `/api/session/all/${handle}`);
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
      <h2>Where you are signed in</h2>
      ${this.sessions === undefined
        ? html`<p role="status">Loading…</p>`
        : html`<ul>
            ${this.sessions.map(
              (s) => html`<li class="card">
                <span><strong>${deviceName(s.userAgent)}</strong>${s.current ? ' (this device)' : ''}<br />
                  Last active ${when(s.lastActiveAt)}${s.ip ? `, from ${s.ip}` : ''}</span>
                ${s.current
                  ? html`<button class="secondary" @click=${() => void this.session?.signOut()}>Sign out here</button>`
                  : html`<button class="secondary" aria-label="End the session on ${deviceName(s.userAgent)}, last active ${when(s.lastActiveAt)}"
                      @click=${() => void this.end(s.handle)}>End this session</button>`}
              </li>`,
            )}
          </ul>`}
      <h2>Recent activity on your account and record</h2>
      ${this.activity === undefined
        ? nothing
        : this.activity.length === 0
          ? html`<p>Nothing yet.</p>`
          : html`<table>
              <caption class="visually-hidden">Recent activity, newest first</caption>
              <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">From</th></tr></thead>
              <tbody>
                ${this.activity.map((e) => html`<tr><td>${when(e.at)}</td><td>${describeAction(e.action)}</td><td>${e.ip ?? ''}</td></tr>`)}
              </tbody>
            </table>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-security-page': SecurityPage;
  }
}
