import type { ReactiveController, ReactiveControllerHost } from 'lit';
import * as Comlink from 'comlink';
import type { SyncProgress, SyncResult } from './sync.js';
import { openAccountVault } from './sync.js';
import type { Vault } from './vault.js';
import { flush, LEND_VAULT_KEYS, requestBackgroundSend } from './outbox.js';
import type { SyncWorkerApi } from './sync-worker.js';
import { SyncSchedule, type ScheduleSeams } from './sync-schedule.js';
import { LiveQuery } from './live-query.js';
import { ACCESS_ENDED } from './sync-worker-answers.js';
import { accessEnded, VIEWING_CHANGE, viewedPatient } from './viewing.js';
import { ApiProblem } from '../data/api.js';

declare const __SYNC_WORKER_URL__: string | undefined;

/** Where the built sync worker is (set by the build); unbundled (element tests) the TypeScript file itself. */
function workerUrl(): string {
  return typeof __SYNC_WORKER_URL__ === 'string'
    ? __SYNC_WORKER_URL__
    : new URL('./sync-worker.ts', import.meta.url).href;
}

/** The first retry of items still waiting while online; each next one waits twice as long, up to RETRY_MAX_MS. */
export const RETRY_FIRST_MS = 5000;
export const RETRY_MAX_MS = 5 * 60_000;
const OFFLINE_PROBLEM = 'You are offline: this is your record as it was last brought up to date.';

/**
 * The signed-in account's local record in this tab: opened (decryptable) while the session lasts and locked
 * (keys dropped) when it ends. It syncs in a worker on sign-in, and then as its SyncSchedule says (every 45 s while
 * the page is visible and online; at once on focus, on becoming visible again and when the connection returns),
 * one sync at a time, and tells the views when there is something new.
 */
export class RecordSession extends EventTarget {
  vault: Vault | undefined;
  patientId: string | undefined;
  progress: SyncProgress | undefined;
  lastSyncAt: string | undefined;
  syncing = false;
  problem: string | undefined;
  /** The browser had evicted this device's copy of the record: it is downloaded again (and the person is told). */
  lostCopy = false;
  private opening: Promise<Vault> | undefined;
  private worker: Comlink.Remote<SyncWorkerApi> | undefined;
  private rawWorker: Worker | undefined;
  /** When the record is brought up to date while the session lasts (the one place that decides it). */
  readonly schedule: SyncSchedule;

  /** The access to this person's record ended while it was open: the page says so, and the copy is deleted. */
  ended = false;
  private readonly openWith: () => Promise<Vault>;

  constructor(
    readonly accountId: string,
    patientId: string | null,
    /** Seam: how the vault is opened (default: with the key the server hands this session for this record). */
    openWith?: () => Promise<Vault>,
    /** Seam: how often and on which page events it syncs (tests give their own timers and visibility). */
    schedule: { everyMs?: number; seams?: ScheduleSeams } = {},
    /**
     * Set when the record is another person's, whom the account helps ([3/11]): their own local database and key,
     * and their access asked again at every sync.
     */
    readonly otherPerson?: string,
    /** A caregiver's account before it knows whose record to show: nothing is opened or synced. */
    private readonly inert = false,
  ) {
    super();
    this.openWith = openWith ?? (() => openAccountVault(accountId, true, otherPerson));
    this.viewing = patientId;
    this.patientId = patientId ?? undefined;
    this.schedule = new SyncSchedule(this.refresh, schedule.everyMs, schedule.seams);
    this.schedule.start();
  }

  private changed() {
    this.dispatchEvent(new Event('change'));
  }

  async open(): Promise<Vault> {
    this.opening ??= this.openWith().then(async (vault) => {
      this.vault = vault;
      this.lostCopy = vault.lostBefore;
      if (this.patientId) this.lastSyncAt = (await vault.syncState(this.patientId))?.lastSyncAt;
      this.changed();
      return vault;
    });
    // A record that could not be opened (no connection for another person's key, access ended) is tried again.
    const opening = this.opening;
    opening.catch(() => {
      if (this.opening === opening) this.opening = undefined;
    });
    return opening;
  }

  /** Whose record this session was made for (null: the account's own, to be learnt from the first sync). */
  readonly viewing: string | null;

  readonly refresh = () => {
    if (this.inert || this.ended) return;
    if (!navigator.onLine) {
      // No connection: nothing to try; the record reads as it is, and says so. `online` brings the next try.
      this.problem = OFFLINE_PROBLEM;
      this.changed();
      return;
    }
    if (!this.syncing) void this.sync();
  };

  /** Sent items still waiting while online (the portal restarting, struggling): tried again soon, then less often. */
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryMs = 0;
  private retryLater(): void {
    if (this.retryTimer || !navigator.onLine) return;
    this.retryMs = Math.min(this.retryMs ? this.retryMs * 2 : RETRY_FIRST_MS, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.refresh();
    }, this.retryMs);
  }

  async sync(): Promise<SyncResult | undefined> {
    if (this.syncing) return undefined;
    this.syncing = true;
    this.problem = undefined;
    this.changed();
    try {
      // The page opens the record before the worker does: on a first open (a new device, an evicted record) the
      // opener makes the record's secret, and a `focus` during the page's own opening must not race it.
      let refused: unknown;
      const vault = await this.open().catch((error: unknown) => void (refused = error));
      if (this.otherPerson && refused instanceof ApiProblem && refused.status === 404) {
        await this.end();
        return undefined;
      }
      // What the person sent goes first (the outbox), then the record is brought up to date (and shows it).
      const waiting = vault ? await flush(vault).catch(() => 1) : 0;
      if (waiting) void requestBackgroundSend();
      else this.retryMs = 0;
      if (!this.worker) {
        this.rawWorker = new Worker(workerUrl(), { type: 'module', name: 'mcl-sync' });
        this.worker = Comlink.wrap<SyncWorkerApi>(this.rawWorker);
      }
      const result = await this.worker.sync(
        this.accountId,
        Comlink.proxy((p: SyncProgress) => {
          this.progress = p;
          this.changed();
        }),
        this.otherPerson,
      );
      // What still waits is tried again soon, unless signed out (or opened on this device only): then sending
      // waits for signing in, not for a timer.
      if (waiting && !('error' in result && result.status === 401)) this.retryLater();
      if ('error' in result && result.reason === ACCESS_ENDED) {
        await this.end();
        return undefined;
      }
      if ('error' in result) {
        this.problem =
          result.status === 401
            ? undefined
            : navigator.onLine
              ? 'Your record could not be brought up to date. What is shown may be older.'
              : OFFLINE_PROBLEM;
        return undefined;
      }
      this.lastSyncAt = result.lastSyncAt;
      this.patientId ??= result.patients.find((p) => p.self)?.id ?? result.patients[0]?.id;
      return result;
    } finally {
      this.syncing = false;
      this.progress = undefined;
      this.changed();
    }
  }

  /**
   * The person ended this account's access (revoked, narrowed to nothing, ended by date or age), or the account
   * left: the record is locked and that person's copy deleted from this device; the tab goes back to the
   * account's own record (or the next person), and says why.
   */
  private async end(): Promise<void> {
    this.ended = true;
    this.problem = 'Your access to this person’s record has ended, and the copy on this device has been deleted.';
    this.close();
    await accessEnded(this.accountId, this.otherPerson!);
    this.changed();
  }

  /** Locks the record: keys dropped, worker ended. The data stays on the device, encrypted. */
  close(): void {
    this.schedule.stop();
    clearTimeout(this.retryTimer);
    this.rawWorker?.terminate();
    this.vault?.db.close();
    this.vault = undefined;
    this.opening = undefined;
  }
}

let current: RecordSession | undefined;

/** Whose record: an account and, for a patient account, the patient it is (a signed-in account fits). */
export interface RecordAccount {
  id: string;
  patientId: string | null;
  /** Staff keep a local record only for their drafts and never view a patient's here. */
  kind?: 'patient' | 'staff';
}

/**
 * The record session of the signed-in account for the person viewed in this tab (made, opened and synced on first
 * use): the account's own record, or the one of a person they help ([3/11]). Choosing another person makes another
 * session, over that person's own local record.
 */
export function recordSession(account: RecordAccount): RecordSession {
  const patientId = account.kind === 'staff' ? account.patientId : viewedPatient(account);
  if (current?.accountId !== account.id || current.viewing !== patientId) {
    current?.close();
    const other = patientId && patientId !== account.patientId ? patientId : undefined;
    // A caregiver with no record of their own, before the people they help are known: nothing to open yet.
    const inert = account.kind !== 'staff' && !patientId;
    current = new RecordSession(account.id, patientId, undefined, {}, other, inert);
    // Opened, then brought up to date when there is a connection (with none, the views read at once).
    if (!inert) {
      const made = current;
      const next = () => {
        if (current === made) made.refresh();
      };
      void made.open().then(next, next);
    }
  }
  return current;
}

/** Makes `session` the current record session (element tests give it a vault opened with their own key). */
export function useRecordSession(session: RecordSession): void {
  current?.close();
  current = session;
}

// Signing out or timing out locks the record (the session controller announces it on window).
addEventListener('mcl-signed-out', () => {
  current?.close();
  current = undefined;
});

// The service worker sends the outbox on Background Sync (sw/outbox-send.ts). It holds no key of its own: it
// borrows the working keys from a tab that has this record open at that moment, for that one send. A locked or
// closed app lends nothing, and the outbox then waits for the page to send it when the record is next opened.
// Only the browser's own message from the service worker that controls this page is answered: not an event a
// script made up (isTrusted), not another worker.
navigator.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
  if ((event.data as { type?: string } | null)?.type !== LEND_VAULT_KEYS) return;
  const fromOurWorker = event.isTrusted && event.source !== null && event.source === navigator.serviceWorker.controller;
  event.ports[0]?.postMessage(fromOurWorker && current?.vault ? current.vault.lend() : null);
});

/**
 * Re-renders its host when the record session changes (sync progress, new data), and runs the host's reading of
 * the record once it is open and again after each sync that finished (never in the middle of one), or, when the
 * host watches the record (`live`, or its own `change`), after each change it reports. One reading at a time:
 * news that arrives during one is read once it has finished.
 */
export class RecordController implements ReactiveController {
  session: RecordSession | undefined;
  private loadedFor: unknown;
  private reading: Promise<unknown> | undefined;
  /** With `live`: the record's sign of change (Vault.changes), watched with a live query. */
  private readonly changes: LiveQuery<unknown> | undefined;

  /**
   * Call from willUpdate: attaches to the account's record session and calls `read` when there is news. Without
   * `live` or `change`, news is a sync that finished; with `live`, it is each write to what the record's views
   * show (Vault.changes: a sync's page, a read mark, the outbox), whoever made it (this tab, the worker, another
   * tab); with `change`, each new thing it returns, and undefined means "not known yet": nothing is read.
   */
  update(
    account: RecordAccount | undefined,
    read: (vault: Vault, patientId: string) => Promise<unknown>,
    change?: () => unknown,
  ): void {
    this.attach(account ? recordSession(account) : undefined);
    const rs = this.session;
    const key = change ? change() : this.changes ? this.liveKey() : (rs?.lastSyncAt ?? 'never');
    if (key === undefined || this.reading || !rs?.vault || !rs.patientId || rs.syncing || key === this.loadedFor)
      return;
    this.loadedFor = key;
    this.reading = read(rs.vault, rs.patientId).finally(() => {
      this.reading = undefined;
      // Whatever changed meanwhile is read now.
      this.host.requestUpdate();
    });
  }

  /** The live sign of change for the session just attached to; undefined until it has answered. */
  private liveKey(): unknown {
    const changes = this.changes!;
    changes.track();
    return changes.loading ? undefined : (changes.value ?? changes.error ?? undefined);
  }

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    options: { live?: boolean } = {},
  ) {
    host.addController(this);
    if (options.live)
      this.changes = new LiveQuery(
        host,
        () => {
          const rs = this.session;
          return rs?.vault && rs.patientId ? rs.vault.changes(rs.patientId) : null;
        },
        () => [this.session?.vault, this.session?.patientId],
      );
  }
  private readonly onChange = () => this.host.requestUpdate();
  attach(session: RecordSession | undefined) {
    if (session === this.session) return;
    this.loadedFor = undefined;
    this.session?.removeEventListener('change', this.onChange);
    this.session = session;
    session?.addEventListener('change', this.onChange);
  }
  /** Another person chosen, or the people changed: the host reads again, from that person's record. */
  hostConnected(): void {
    addEventListener(VIEWING_CHANGE, this.onChange);
  }
  hostDisconnected(): void {
    removeEventListener(VIEWING_CHANGE, this.onChange);
    this.session?.removeEventListener('change', this.onChange);
    this.session = undefined;
  }
}
