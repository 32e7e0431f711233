import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { provide } from '@lit/context';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Workbox } from 'workbox-window';
import { clinicContext, loadClinicInfo, type ClinicInfo } from '../session/clinic-context.js';
import { RouterController } from './router-controller.js';
import { routes, type Route } from './routes.js';
import { SessionController } from '../session/session-controller.js';
import { sessionContext } from '../session/session-context.js';
import './connection-status.js';
import '../session/idle-warning.js';
import '../session/viewing-as.js';
import { VIEWING_CHANGE, viewingEpoch } from '../record/viewing.js';
import './update-prompt.js';

/**
 * The shell: header with the clinic's name and the connection status, the main navigation, the update prompt,
 * and the current page. It is all the first paint needs; pages load on demand.
 */
@customElement('mcl-app')
export class App extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100vh;
      font-size: 1.125rem;
      color: var(--mcl-text, #1a1a1a);
    }
    .skip {
      font: inherit;
      border: 2px solid #0a4f8a;
      border-radius: 6px;
      position: absolute;
      left: 0.5rem;
      top: -4rem;
      background: #fff;
      color: #0a4f8a;
      padding: 0.5rem 1rem;
      z-index: 10;
    }
    .skip:focus {
      top: 0.5rem;
    }
    header {
      background: var(--mcl-primary, #0b5d66);
      color: var(--mcl-header-text, #fff);
      padding: 0.75rem 1rem;
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1.5rem;
      align-items: center;
      justify-content: space-between;
    }
    .brand {
      color: inherit;
      font-size: 1.3rem;
      font-weight: 700;
      text-decoration: none;
    }
    nav ul {
      list-style: none;
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      margin: 0;
      padding: 0.25rem 1rem;
      background: #e8f3f4;
      border-bottom: 1px solid #c9d2d6;
    }
    nav a {
      display: inline-block;
      padding: 0.6rem 0.9rem;
      min-height: 44px;
      box-sizing: border-box;
      color: #0a3f45;
      text-decoration: none;
      border-radius: 6px;
    }
    nav .link {
      font: inherit;
      background: none;
      border: none;
      padding: 0.6rem 0.9rem;
      min-height: 44px;
      color: #0a3f45;
      text-decoration: underline;
      cursor: pointer;
      border-radius: 6px;
    }
    nav a[aria-current='page'] {
      background: var(--mcl-primary, #0b5d66);
      color: #fff;
    }
    a:focus-visible,
    button:focus-visible,
    main:focus-visible {
      outline: 3px solid var(--mcl-focus, #b3540b);
      outline-offset: 2px;
    }
    .content {
      flex: 1;
      width: 100%;
      max-width: 60rem;
      margin: 0 auto;
      padding: 1rem;
      box-sizing: border-box;
    }
    main:focus {
      outline: none;
    }
    footer {
      padding: 1rem;
      font-size: 0.95rem;
      border-top: 1px solid #c9d2d6;
      text-align: center;
    }
    /* On paper only the page itself ([4/11]): it prints whose record it is; the document's @page numbers it. */
    @media print {
      :host {
        display: block;
        min-height: 0;
        color: #000;
      }
      .skip,
      header,
      nav,
      footer,
      mcl-viewing-as,
      mcl-idle-warning,
      mcl-update-prompt {
        display: none !important;
      }
      .content {
        max-width: none;
        padding: 0;
      }
    }
  `;

  /** The clinic's details; fetched from /clinic.json unless set (tests set it). */
  @provide({ context: clinicContext })
  @property({ attribute: false })
  clinic: ClinicInfo | undefined;

  /** The service worker registration, for the update prompt. Set by main.ts; absent in tests. */
  @property({ attribute: false }) workbox: Workbox | undefined;

  private firstNavigation = true;
  readonly router = new RouterController(this, (route) => this.afterNavigation(route));

  /** Who is signed in, and the idle clock. Provided to pages. */
  @provide({ context: sessionContext })
  readonly session = new SessionController(this, () => this.router.navigate('/sign-in'));

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.clinic) void loadClinicInfo().then((clinic) => (this.clinic ??= clinic));
    void this.session.refresh();
    this.addEventListener('mcl-navigate', this.onNavigate as EventListener);
    this.addEventListener('mcl-prepare-signed-in', this.onPrepare as EventListener);
    this.addEventListener('mcl-stay-signed-in', this.onStay);
    addEventListener(VIEWING_CHANGE, this.onViewing);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('mcl-navigate', this.onNavigate as EventListener);
    this.removeEventListener('mcl-prepare-signed-in', this.onPrepare as EventListener);
    this.removeEventListener('mcl-stay-signed-in', this.onStay);
    removeEventListener(VIEWING_CHANGE, this.onViewing);
  }

  /** Another person's record chosen: every page is made afresh for them (nothing of the last one stays on screen). */
  private readonly onViewing = () => this.requestUpdate();

  private readonly onNavigate = (event: CustomEvent<{ path: string }>) => this.router.navigate(event.detail.path);
  private readonly onPrepare = (event: CustomEvent<{ path: string }>) => this.router.prepareSignedIn(event.detail.path);
  private readonly onStay = () => void this.session.stay();

  /** The unread count beside Messages (it reads the local record) loads only once a patient is signed in. */
  private unreadLoading: Promise<unknown> | undefined;
  /** Unread replies, as the count beside Messages last said: the link's accessible name ("Messages, 2 unread"). */
  @state() private unread = 0;

  override willUpdate(): void {
    if (this.session.account?.kind === 'patient') this.unreadLoading ??= import('../session/unread-messages.js');
  }

  override updated(): void {
    document.title = `${this.router.route?.title ?? 'Page not found'} – ${this.clinic?.name ?? 'Patient portal'}`;
  }

  /** After a navigation (not the first load), move focus to the new page so keyboard and screen reader users follow. */
  private afterNavigation(_route: Route | undefined): void {
    if (this.firstNavigation) {
      this.firstNavigation = false;
      return;
    }
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  /** The skip control is a button: an in-page `#main` link cannot reach into a shadow root. */
  private skipToMain() {
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  private renderPage() {
    const { route, loaded, loadError } = this.router;
    if (!route) {
      return html`<h1>Page not found</h1>
        <p>There is no page at this address. <a href="/">Go to the home page</a> or <a href="/help">get help</a>.</p>`;
    }
    if (loadError) {
      return html`<h1>${route.title}</h1>
        <p role="alert">This page could not be opened. Check your connection and try again.</p>`;
    }
    if (!loaded) return html`<p role="status">Loading…</p>`;
    const tag = unsafeStatic(route.tag); // from our own route table, never from input
    // A fresh page for each address: another conversation or test is another page, not a stale one.
    return keyed(`${location.pathname}${location.search}#${viewingEpoch()}`, staticHtml`<${tag}></${tag}>`);
  }

  override render() {
    const current = this.router.route;
    return html`
      <button class="skip" @click=${this.skipToMain}>Skip to main content</button>
      <header>
        <a class="brand" href="/">${this.clinic?.name ?? 'Patient portal'}</a>
        <mcl-connection-status></mcl-connection-status>
      </header>
      <nav aria-label="Main">
        <ul>
          ${routes
            .filter((r) => {
              const account = this.session.account;
              if (r.nav === 'always') return true;
              if (!account) return r.nav === 'signed-out';
              if (r.nav === 'admin') return account.role === 'admin';
              return r.nav === 'signed-in' || r.nav === account.kind;
            })
            .map((r) =>
              r.path === '/messages' && this.session.account?.kind === 'patient'
                ? html`<li><a href=${r.path} aria-current=${r === current ? 'page' : nothing}
                      aria-label=${this.unread ? `${r.title}, ${this.unread} unread` : nothing}
                      >${r.title}<mcl-unread-messages .account=${this.session.account}
                        @mcl-unread-change=${(e: CustomEvent<{ count: number }>) => (this.unread = e.detail.count)}
                      ></mcl-unread-messages></a></li>`
                : html`<li><a href=${r.path} aria-current=${r === current ? 'page' : nothing}>${r.title}</a></li>`,
            )}
          ${
            this.session.account
              ? html`<li><button class="link" @click=${() => void this.session.signOut()}>Sign out</button></li>`
              : nothing
          }
        </ul>
      </nav>
      <mcl-viewing-as .account=${this.session.account}></mcl-viewing-as>
      ${this.session.warning ? html`<mcl-idle-warning .seconds=${this.session.secondsLeft}></mcl-idle-warning>` : nothing}
      <div class="content">
        <mcl-update-prompt .workbox=${this.workbox}></mcl-update-prompt>
        <main id="main" tabindex="-1">${this.renderPage()}</main>
      </div>
      <footer>
        ${
          this.clinic
            ? html`In an emergency call <a href="tel:${this.clinic.urgent.emergencyNumber}">${this.clinic.urgent.emergencyNumber}</a>.
              <a href="/help">Help and contact details</a>`
            : html`<a href="/help">Help and contact details</a>`
        }
      </footer>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-app': App;
  }
}
