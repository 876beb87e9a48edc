/**
 * Runs the latest scheduled action at most once per `interval` ms: the first at once, later ones
 * when the interval since the last run is up. What re-renders a streaming answer as its pieces
 * arrive without a render per piece; `flush` runs what is pending now (the answer is complete),
 * `cancel` drops it (the answer was replaced or stopped).
 */
export class Throttle {
  #timer: ReturnType<typeof setTimeout> | null = null;
  #pending: (() => void) | null = null;
  #lastRun = Number.NEGATIVE_INFINITY;

  constructor(
    readonly interval: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  schedule(action: () => void): void {
    this.#pending = action;
    if (this.#timer !== null) return;
    const wait = this.#lastRun + this.interval - this.now();
    if (wait <= 0) this.#run();
    else this.#timer = setTimeout(() => this.#run(), wait);
  }

  /** Runs the pending action, if any, now. */
  flush(): void {
    if (this.#pending !== null) this.#run();
  }

  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = null;
  }

  get pending(): boolean {
    return this.#pending !== null;
  }

  #run(): void {
    const action = this.#pending;
    this.cancel();
    this.#lastRun = this.now();
    action?.();
  }
}
