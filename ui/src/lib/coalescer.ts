/**
 * Runs an async task at most once at a time. Requests that arrive while it runs are folded into
 * one more run after it, so a burst of requests costs at most the run in flight plus one.
 */
export class Coalescer {
  readonly #task: () => Promise<void>;
  #running: Promise<void> | null = null;
  #pending = false;

  /** `task` should settle its own errors; a rejection ends the current round and is passed on. */
  constructor(task: () => Promise<void>) {
    this.#task = task;
  }

  /** Whether a run is in flight. */
  get busy(): boolean {
    return this.#running !== null;
  }

  /** Asks for a run; resolves when the round this request joined has finished. */
  request(): Promise<void> {
    if (this.#running !== null) {
      this.#pending = true;
      return this.#running;
    }
    this.#running = this.#drain();
    return this.#running;
  }

  async #drain(): Promise<void> {
    try {
      do {
        this.#pending = false;
        await this.#task();
      } while (this.#pending);
    } finally {
      this.#running = null;
      this.#pending = false;
    }
  }
}
