/** How often an open, visible app brings its record up to date (issue [2/11]: a reply must show within a minute). */
export const SYNC_EVERY_MS = 45_000;

/** What the schedule needs from the page: seams, so tests need not wait a minute or go offline for real. */
export interface ScheduleSeams {
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
  online(): boolean;
  visible(): boolean;
  /** Where `focus`, `online` and `offline` are heard (window), and `visibilitychange` (document). */
  window: EventTarget;
  document: EventTarget;
}

export const pageSeams = (): ScheduleSeams => ({
  setTimer: (run, ms) => setTimeout(run, ms),
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  online: () => navigator.onLine,
  visible: () => document.visibilityState !== 'hidden',
  window,
  document,
});

/**
 * When the signed-in app syncs its record, beyond sign-in: every `everyMs` while the page is visible and online, and
 * at once when the window regains focus, the page becomes visible again or the connection returns. Hidden or
 * offline, no timer runs (a background tab costs the server nothing; `online` and `visibilitychange` restart it).
 * Every sync, whatever started it, pushes the next timed one `everyMs` later. It only says when: `sync` must itself
 * refuse to start while one is running (RecordSession.refresh does), so there are never two at once.
 */
export class SyncSchedule {
  private timer: unknown;
  private started = false;

  constructor(
    private readonly sync: () => void,
    readonly everyMs = SYNC_EVERY_MS,
    private readonly seams: ScheduleSeams = pageSeams(),
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.seams.window.addEventListener('focus', this.now);
    this.seams.window.addEventListener('online', this.now);
    this.seams.window.addEventListener('offline', this.pause);
    this.seams.document.addEventListener('visibilitychange', this.onVisibility);
    this.arm();
  }

  stop(): void {
    this.started = false;
    this.seams.window.removeEventListener('focus', this.now);
    this.seams.window.removeEventListener('online', this.now);
    this.seams.window.removeEventListener('offline', this.pause);
    this.seams.document.removeEventListener('visibilitychange', this.onVisibility);
    this.pause();
  }

  /** Whether a timed sync is waiting (for tests and the curious). */
  get armed(): boolean {
    return this.timer !== undefined;
  }

  /** Syncs now, and the next timed sync comes `everyMs` after this one. */
  readonly now = (): void => {
    if (!this.started) return;
    this.sync();
    this.arm();
  };

  private readonly pause = (): void => {
    if (this.timer !== undefined) this.seams.clearTimer(this.timer);
    this.timer = undefined;
  };

  private readonly onVisibility = (): void => {
    if (this.seams.visible()) this.now();
    else this.pause();
  };

  private arm(): void {
    this.pause();
    if (!this.started || !this.seams.visible() || !this.seams.online()) return;
    this.timer = this.seams.setTimer(() => {
      this.timer = undefined;
      this.now();
    }, this.everyMs);
  }
}
