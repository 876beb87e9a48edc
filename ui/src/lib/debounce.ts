/**
 * Runs the last scheduled action once things have been quiet for `delay` ms: what keeps a
 * note's draft saved while the reviewer types without a write per key. `flush` runs the
 * pending action now (before the note itself is saved), `cancel` drops it.
 */
export class Debouncer {
  #timer: ReturnType<typeof setTimeout> | null = null;
  #pending: (() => void) | null = null;

  constructor(readonly delay: number) {}

  schedule(action: () => void): void {
    this.#pending = action;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.flush(), this.delay);
  }

  /** Runs the pending action, if any, now. */
  flush(): void {
    const action = this.#pending;
    this.cancel();
    action?.();
  }

  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = null;
  }

  get pending(): boolean {
    return this.#pending !== null;
  }
}
