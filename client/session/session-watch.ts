import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Announced on window whenever the session changes (signed in, refreshed, signed out, timed out). */
export const SESSION_CHANGE = 'mcl-session-change';

/**
 * Re-renders a page when the session changes. Pages get the SessionController through context, but it is the
 * same object before and after a change, so context alone does not tell them (a reload renders the page before
 * the session is known).
 */
export class SessionWatch implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  private readonly changed = () => this.host.requestUpdate();
  hostConnected(): void {
    addEventListener(SESSION_CHANGE, this.changed);
  }
  hostDisconnected(): void {
    removeEventListener(SESSION_CHANGE, this.changed);
  }
}
