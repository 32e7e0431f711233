import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { OUTBOX_CHANGE } from './outbox.js';
import type { OutboxItem } from './vault.js';

/** The human words for an outbox item's state. */
export function outboxState(item: OutboxItem, online = navigator.onLine, signedIn = true): string {
  if (item.state === 'refused') return `Not sent: ${item.problem ?? 'the portal refused it.'}`;
  if (item.state === 'sent') return 'Sent.';
  if (!online) return 'Waiting for a connection: it will be sent when you are back online.';
  // Opened with the device's PIN or passkey: sending needs the portal to know it is you.
  return signedIn ? 'Sending…' : 'Waiting: sign in to send it (your record was opened on this device only).';
}

/**
 * Reads the page again when outbox items change state (sent, refused) and asks for a sync after a send, so the
 * message replaces its "sending" line.
 */
export class OutboxWatch implements ReactiveController {
  private readonly listener = () => void this.changed();
  constructor(
    host: ReactiveControllerHost,
    private readonly changed: () => unknown,
  ) {
    host.addController(this);
  }
  hostConnected() {
    window.addEventListener(OUTBOX_CHANGE, this.listener);
  }
  hostDisconnected() {
    window.removeEventListener(OUTBOX_CHANGE, this.listener);
  }
}

/**
 * What is on its way from the outbox (messages, appointment requests): each with what it says, its state, and,
 * when the portal refused it, the reason with "Change and send again" and "Discard it": never dropped silently.
 */
export function outboxList(
  items: OutboxItem[],
  discard: (item: OutboxItem) => void,
  edit: (item: OutboxItem) => void,
  signedIn: boolean,
  label = 'Messages on their way',
) {
  if (!items.length) return nothing;
  return html`<ul class="items" aria-label=${label}>
    ${items.map((item) => {
      const body = item.body as { body?: string; reason?: string };
      const text = body.body ?? body.reason;
      return html`<li class="card">
        <p><strong>${item.title ?? 'Your message'}</strong></p>
        <p class="meta">${text && text.length > 140 ? `${text.slice(0, 140)}…` : text}</p>
        <p role=${item.state === 'refused' ? 'alert' : 'status'} class=${item.state === 'refused' ? 'alert' : ''}>${outboxState(item, navigator.onLine, signedIn)}</p>
        ${
          item.state === 'refused'
            ? html`${(item.body as { attachments?: unknown[] }).attachments?.length ? html`<p class="meta">To send it again, attach the files again (or other ones).</p>` : nothing}
            <p><button type="button" @click=${() => edit(item)}>Change and send again</button>
              <button type="button" class="secondary" @click=${() => discard(item)}>Discard it</button></p>`
            : nothing
        }
      </li>`;
    })}
  </ul>`;
}
