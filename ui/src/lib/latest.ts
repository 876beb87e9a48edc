/**
 * Keeps only the latest of a series of requests: each is started under a key (what decides
 * whether its answer still applies), and an answer is applied only while its key is still the
 * latest. Asking again with the same key starts nothing.
 */
export class LatestRequest {
  #key: string | null = null;

  /**
   * Starts a request for `key`: `null` when it is already the latest (nothing to ask), else a
   * function telling whether the answer about to be applied is still wanted.
   */
  begin(key: string): (() => boolean) | null {
    if (key === this.#key) return null;
    this.#key = key;
    return () => this.#key === key;
  }

  /** Forgets the latest key: answers still on their way are dropped, the next begin asks. */
  reset(): void {
    this.#key = null;
  }
}
