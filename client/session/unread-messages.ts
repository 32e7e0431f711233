import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { RecordController, type RecordAccount } from '../record/record-session.js';
import { unreadCount } from '../record/conversations.js';

/** Fired (bubbling, composed) when the count changes; `detail.count`: how many replies are unread. */
export const UNREAD_CHANGE = 'mcl-unread-change';

/**
 * How many replies from the care team are unread, for the navigation's Messages link (patients): a visible badge,
 * and an `mcl-unread-change` event with the count, from which the link takes its accessible name ("Messages,
 * 2 unread"; the badge itself is hidden from assistive technology, so the number is not said twice). Nothing
 * when there are none. It reads the local record, live (RecordController `live`): the count appears when a sync
 * brings a reply and goes when the reply is opened, in this tab, another one, or on another device (its read
 * mark comes back through the feed). Being in the navigation, it also keeps the record session (and so its sync
 * schedule) running on every page while a patient is signed in.
 *
 * @fires mcl-unread-change - the count changed (`detail.count`)
 */
@customElement('mcl-unread-messages')
export class UnreadMessages extends LitElement {
  static override styles = css`
    .badge {
      display: inline-block;
      min-width: 1.4em;
      margin-left: 0.15em;
      padding: 0 0.35em;
      box-sizing: border-box;
      border: 1px solid transparent; /* a visible edge in forced colours */
      border-radius: 999px;
      background: var(--mcl-danger, #a4161a);
      color: #fff;
      font-weight: 700;
      font-size: 0.9em;
      line-height: 1.4;
      text-align: center;
    }
  `;

  /** Whose record (the signed-in patient). */
  @property({ attribute: false }) account: RecordAccount | undefined;
  @state() private count = 0;
  private readonly record = new RecordController(this, { live: true });

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.record.update(this.account, async (vault, patientId) => {
      this.count = await unreadCount(vault, patientId);
    });
  }

  override updated(changed: PropertyValues): void {
    if (changed.has('count'))
      this.dispatchEvent(
        new CustomEvent<{ count: number }>(UNREAD_CHANGE, {
          detail: { count: this.count },
          bubbles: true,
          composed: true,
        }),
      );
  }

  override render() {
    if (!this.account || !this.count) return nothing;
    // A space before the number, in the text too: the link's visible words ("Messages 2") stay part of its
    // accessible name ("Messages, 2 unread"; WCAG 2.5.3 Label in Name).
    return html` <span class="badge" aria-hidden="true">${this.count}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-unread-messages': UnreadMessages;
  }
}
