import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ConnectionController } from './connection-controller.js';
import { onSharedComputer } from '../session/session-controller.js';

/**
 * Says whether the app is online. Offline, it explains what still works, in words (not colour alone), and the
 * change is announced to screen readers through a status region. On a computer marked as shared it does not say
 * that anything is kept on it.
 */
@customElement('mcl-connection-status')
export class ConnectionStatus extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    p {
      margin: 0;
      font-size: 0.95rem;
    }
    .offline {
      background: #fff4d6;
      color: #3d2c00;
      border: 2px solid #8a6100;
      border-radius: 6px;
      padding: 0.4rem 0.75rem;
    }
    .online {
      color: var(--mcl-header-text, #fff);
    }
    .dot {
      display: inline-block;
      width: 0.6rem;
      height: 0.6rem;
      border-radius: 50%;
      margin-right: 0.4rem;
      background: #5fd38d;
    }
  `;

  readonly connection = new ConnectionController(this);

  override render() {
    return html`<div role="status">
      ${
        this.connection.online
          ? html`<p class="online"><span class="dot" aria-hidden="true"></span>Online</p>`
          : html`<p class="offline"><strong>You are offline.</strong> ${
              onSharedComputer()
                ? 'What is open still works; nothing about you is kept on this computer after you sign out.'
                : 'What is saved on this device still opens.'
            }</p>`
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-connection-status': ConnectionStatus;
  }
}
