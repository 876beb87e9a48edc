/**
 * Sharing reviews through git (`redline sync`): the remote a sync would use and the last sync,
 * asked for once the repository is known, and the sync itself. A sync that brought anything
 * calls `onSynced` so the review's notes, progress and the target list's statuses reload. A
 * failure (the remote could not be reached, …) is kept for the header's notice; the review goes
 * on working. An answer for a repository no longer shown is dropped.
 */
import { commands, type SyncReport } from '../../lib/bindings';
import { describeError, type ErrorView } from '../../lib/errorView';

export class SyncState {
  /** The remote a sync uses; `null` when the repository has none (a sync writes the notes ref only). */
  remote = $state.raw<string | null>(null);
  /** The last sync, once the status arrived; `null` before the first. */
  last = $state.raw<SyncReport | null>(null);
  /** The status arrived (until then the header says nothing about the last sync). */
  known = $state(false);
  syncing = $state(false);
  /** The last failure: asking for the status or syncing. */
  error = $state.raw<ErrorView | null>(null);

  readonly #onSynced: () => void;
  #repo: string | null = null;

  constructor(onSynced: () => void = () => undefined) {
    this.#onSynced = onSynced;
  }

  /** Asks for the sync status of `repo` (once per repository). */
  show(repo: string | null): void {
    if (repo === this.#repo) return;
    this.#repo = repo;
    this.remote = null;
    this.last = null;
    this.known = false;
    this.syncing = false;
    this.error = null;
    if (repo === null) return;
    void commands.syncStatus(repo).then(
      (result) => {
        if (repo !== this.#repo) return;
        if (result.status === 'error') {
          this.error = describeError(result.error);
          return;
        }
        this.remote = result.data.remote;
        // A sync that ended meanwhile knows better.
        if (this.last === null) this.last = result.data.last;
        this.known = true;
      },
      (error: unknown) => {
        if (repo === this.#repo) this.error = describeError(error);
      },
    );
  }

  /** Fetches, merges and pushes the reviews; does nothing while a sync runs. */
  async sync(): Promise<void> {
    const repo = this.#repo;
    if (repo === null || this.syncing) return;
    this.syncing = true;
    this.error = null;
    let report: SyncReport | null = null;
    try {
      const result = await commands.syncReviews(repo);
      if (repo !== this.#repo) return;
      if (result.status === 'ok') report = result.data;
      else this.error = describeError(result.error);
    } catch (error) {
      if (repo === this.#repo) this.error = describeError(error);
    } finally {
      if (repo === this.#repo) this.syncing = false;
    }
    if (report === null) return;
    this.last = report;
    if (report.remote !== null) this.remote = report.remote;
    this.known = true;
    // Even a sync that brought nothing new may have changed a thread (kind, resolved).
    this.#onSynced();
  }

  dismissError(): void {
    this.error = null;
  }
}
