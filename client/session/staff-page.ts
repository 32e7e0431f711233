import { LitElement } from 'lit';
import { consume } from '@lit/context';
import { sessionContext } from './session-context.js';
import type { SessionController } from './session-controller.js';
import { SessionWatch } from './session-watch.js';

/**
 * A care-team page: it reads the signed-in account from context and loads its data once per staff account (and
 * only for `onlyRole` when one is set). Online only: staff work on the clinic's network; the server audits each view.
 */
export abstract class StaffPage extends LitElement {
  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;
  protected readonly sessionWatch = new SessionWatch(this);
  protected readonly onlyRole: string | undefined = undefined;
  private loadedFor: string | undefined;

  protected abstract load(): Promise<void>;

  override willUpdate(): void {
    const account = this.session?.account;
    if (
      account?.kind === 'staff' &&
      (!this.onlyRole || account.role === this.onlyRole) &&
      account.id !== this.loadedFor
    ) {
      this.loadedFor = account.id;
      void this.load();
    }
  }
}
