import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Workbox } from 'workbox-window';
import { pageStyles } from '../ui/shared-styles.js';

/**
 * Offers a new version of the app when its service worker is waiting. Nothing is forced: the new version takes
 * over only when the person presses "Reload now", so a half-written message is never lost to an update.
 *
 * @fires mcl-update-accepted - the person chose to reload into the new version
 */
@customElement('mcl-update-prompt')
export class UpdatePrompt extends LitElement {
  static override styles = [
    pageStyles,
    css`
      .prompt {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
        background: #e8f3f4;
        border: 2px solid var(--mcl-primary, #0b5d66);
        border-radius: 8px;
        padding: 0.75rem 1rem;
        margin: 0.75rem 0;
      }
      p {
        margin: 0;
        flex: 1 1 16rem;
      }
    `,
  ];

  /** The registration from workbox-window; the prompt listens to it for a waiting worker. */
  @property({ attribute: false }) workbox: Workbox | undefined;
  /** True while a new version waits for the person's consent. */
  @property({ type: Boolean, reflect: true }) ready = false;
  @state() private dismissed = false;

  private readonly onWaiting = () => {
    this.ready = true;
    this.dismissed = false;
  };

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('workbox')) {
      (changed.get('workbox') as Workbox | undefined)?.removeEventListener('waiting', this.onWaiting);
      this.workbox?.addEventListener('waiting', this.onWaiting);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.workbox?.removeEventListener('waiting', this.onWaiting);
  }

  private reload() {
    this.dispatchEvent(new CustomEvent('mcl-update-accepted', { bubbles: true, composed: true }));
    const wb = this.workbox;
    if (!wb) return location.reload();
    // Reload once the new worker controls the page, so the page and its worker are the same version.
    wb.addEventListener('controlling', () => location.reload());
    wb.messageSkipWaiting();
  }

  override render() {
    if (!this.ready || this.dismissed) return html`<div role="status"></div>`;
    return html`<div role="status">
      <div class="prompt">
        <p>A new version of the portal is ready. Reload when you have finished what you are doing.</p>
        <button @click=${this.reload}>Reload now</button>
        <button class="secondary" @click=${() => (this.dismissed = true)}>Later</button>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-update-prompt': UpdatePrompt;
  }
}
