import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { recordSession, type RecordAccount } from './record-session.js';

/** The key a draft is sealed under: the page's path and the field's `data-draft` name. */
export const draftKey = (page: string, field: string) => `${page}#${field}`;

/**
 * Keeps what the person types in a page's `[data-draft]` fields (SECURITY.md, WCAG 2.2.5): each change is sealed
 * into the local record shortly after typing stops, so it survives an inactivity timeout, a reload or a closed
 * tab, and comes back in the same field once the person is signed in again. `clear(name)` forgets a draft once it
 * was used (sent, saved). On a shared computer the whole local record, drafts included, is removed at sign-out and
 * timeout: there, nothing about the person may stay.
 */
export class DraftKeeper implements ReactiveController {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly restored = new Set<string>();
  private readonly bound = new WeakSet<Element>();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode },
    private readonly account: () => RecordAccount | undefined,
    private readonly page = location.pathname,
  ) {
    host.addController(this);
  }

  private key(name: string) {
    return draftKey(this.page, name);
  }

  private async vault() {
    const account = this.account();
    return account ? recordSession(account).open() : undefined;
  }

  hostUpdated(): void {
    for (const field of this.host.renderRoot.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('[data-draft]')) {
      const name = field.dataset.draft!;
      if (!this.bound.has(field)) {
        this.bound.add(field);
        field.addEventListener('input', () => this.schedule(name, field.value));
      }
      if (!this.restored.has(name) && this.account()) {
        this.restored.add(name);
        void this.vault().then(async (vault) => {
          const text = await vault?.draft(this.key(name));
          if (text && !field.value) {
            field.value = text;
            field.dispatchEvent(new Event('draft-restored', { bubbles: true, composed: true }));
          }
        });
      }
    }
  }

  private schedule(name: string, value: string) {
    clearTimeout(this.timers.get(name));
    this.timers.set(
      name,
      setTimeout(() => void this.vault().then((v) => v?.saveDraft(this.key(name), value)), 300),
    );
  }

  /** The draft was used: forget it. */
  async clear(name: string): Promise<void> {
    clearTimeout(this.timers.get(name));
    await (await this.vault())?.deleteDraft(this.key(name));
  }

  hostDisconnected(): void {
    // Leaving the page (or being signed out) saves at once what was typed in the last moments.
    for (const [name, timer] of this.timers) {
      clearTimeout(timer);
      const field = this.host.renderRoot.querySelector<HTMLInputElement | HTMLTextAreaElement>(
        `[data-draft="${name}"]`,
      );
      if (field)
        void this.vault()
          .then((v) => v?.saveDraft(this.key(name), field.value))
          .catch(() => {});
    }
    this.timers.clear();
  }
}
