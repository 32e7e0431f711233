/**
 * Caps how many expensive jobs (password hashes: ~20–50 ms of CPU and 19 MiB each) run at once, with a bounded
 * queue, so a login flood cannot starve the server (SECURITY.md, Passwords). Past the queue a caller is refused at
 * once with BusyError, which the API answers with 503 and Retry-After instead of letting latency grow without end.
 */
export class BusyError extends Error {
  constructor() {
    super('too many password checks are waiting');
  }
}

export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly maxRunning: number,
    readonly maxWaiting: number,
  ) {}

  get stats() {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxWaiting) throw new BusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next)
        next(); // the slot passes straight to the next job
      else this.running--;
    }
  }
}
