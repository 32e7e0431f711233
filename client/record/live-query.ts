import { liveQuery, type Subscription } from 'dexie';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * A live read of the local database for an element (ARCHITECTURE.md: views read the local record through reactive
 * controllers over Dexie `liveQuery`). While the host is connected it holds a subscription, and each result the
 * query gives (first when it is read, then after every write that touches what it read, whoever wrote it: this
 * tab, the sync worker, another tab) becomes `value` and re-renders the host. `dependsOn` names what the query is
 * read with (the vault, the patient): when one of them changes, the old subscription ends and a new one starts.
 *
 * Dexie's rule for `query`: it may await only Dexie calls (Dexie follows them to learn what to watch). Other
 * asynchronous work, such as decrypting with WebCrypto, is done outside it (on `value`), or wrapped in
 * `Promise.resolve()` / `Dexie.waitFor()` as Dexie's documentation says.
 */
export class LiveQuery<T> implements ReactiveController {
  /** The last result (undefined before the first). */
  value: T | undefined;
  /** Why the last read failed (cleared by the next result). */
  error: unknown;
  /** No result yet for the current `dependsOn`. */
  loading = true;
  private subscription: Subscription | undefined;
  private deps: readonly unknown[] | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly query: () => T | Promise<T>,
    private readonly dependsOn: () => readonly unknown[] = () => [],
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.subscribe(this.dependsOn());
  }

  hostUpdate(): void {
    this.track();
  }

  hostDisconnected(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.deps = undefined;
  }

  /** Starts over when what the query is read with has changed (also called on each update of the host). */
  track(): void {
    if (!this.deps) return;
    const deps = this.dependsOn();
    if (deps.length !== this.deps.length || deps.some((d, i) => d !== this.deps![i])) this.subscribe(deps);
  }

  private subscribe(deps: readonly unknown[]): void {
    this.subscription?.unsubscribe();
    this.deps = deps;
    this.value = undefined;
    this.error = undefined;
    this.loading = true;
    this.subscription = liveQuery(this.query).subscribe({
      next: (value) => {
        this.value = value;
        this.error = undefined;
        this.loading = false;
        this.host.requestUpdate();
      },
      error: (error: unknown) => {
        this.error = error;
        this.loading = false;
        this.host.requestUpdate();
      },
    });
  }
}
