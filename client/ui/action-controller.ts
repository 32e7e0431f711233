import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiProblem } from '../data/api.js';

export interface ActionOptions {
  /**
   * Where focus goes once an action is over, as a selector in the host's render root: the alert (and, on pages
   * that say so, the success notice), so keyboard and screen reader users meet the outcome. None: focus stays.
   */
  focus?: string;
  /** The sentence for a failure. By default the portal's own message (an ApiProblem), else the action's fallback. */
  describe?: (error: unknown, fallback: string) => string;
}

/** The default sentence for a failed action: the portal's words when it answered, else the fallback. */
export const describeProblem = (error: unknown, fallback: string) =>
  error instanceof ApiProblem ? error.message : fallback;

/**
 * What a page or dialog shows about the action it is running: `busy` while it runs (its buttons wait), `problem`
 * when it failed (a sentence for a person, shown in the host's role=alert), then focus moved to the outcome.
 * Setting either re-renders the host, as a `@state()` would.
 */
export class ActionController implements ReactiveController {
  #busy = false;
  #problem: string | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & { renderRoot: ParentNode },
    private readonly options: ActionOptions = {},
  ) {
    host.addController(this);
  }

  /** Nothing to set up: the controller holds what the host renders, and the host renders it. */
  hostConnected(): void {}

  get busy(): boolean {
    return this.#busy;
  }
  set busy(busy: boolean) {
    this.#busy = busy;
    this.host.requestUpdate();
  }

  get problem(): string | undefined {
    return this.#problem;
  }
  set problem(problem: string | undefined) {
    this.#problem = problem;
    this.host.requestUpdate();
  }

  /** Runs `work` as the action: busy meanwhile, the last problem cleared, a failure described, then focus moved. */
  async run(work: () => Promise<void>, fallback = 'That did not work. Please try again.'): Promise<void> {
    this.busy = true;
    this.problem = undefined;
    try {
      await work();
    } catch (error) {
      this.problem = (this.options.describe ?? describeProblem)(error, fallback);
    } finally {
      this.busy = false;
    }
    if (!this.options.focus) return;
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>(this.options.focus)?.focus();
  }
}
