/**
 * The reviewer's progress on the open review — which hunks they viewed (and which changed
 * since), AI-review coverage, open must-fix notes, the decision — asked for once the review is
 * drawn and again each time it reloads. Marking a hunk viewed and deciding answer with the new
 * progress. An answer older than the latest request is dropped.
 */
import { commands, type FileView, type ReviewProgress, type Review, type Verdict, type ViewState } from '../../lib/bindings';
import { describeError, type ErrorView } from '../../lib/errorView';
import { ShownReview } from './shownReview';

/** How a decision went: recorded, refused until the reviewer confirms (with the core's reasons), or failed. */
export type DecideOutcome = { state: 'decided' } | { state: 'needsConfirmation'; reasons: string } | { state: 'failed'; error: ErrorView };

export class ProgressState {
  progress = $state.raw<ReviewProgress | null>(null);
  /** Each hunk's viewed state, by hunk id. */
  hunks = $derived(new Map<string, ViewState>((this.progress?.hunks ?? []).map((h) => [h.hunkId, h.state])));
  /** Each file's viewed summary, by display path. */
  files = $derived(new Map<string, FileView>((this.progress?.files ?? []).map((f) => [f.path, f])));
  /** Hunks being marked, by id. */
  marking = $state.raw<ReadonlySet<string>>(new Set());
  /** The last mark that failed. */
  error = $state.raw<ErrorView | null>(null);

  readonly #onChange: () => void;
  #shown = new ShownReview();
  #request = 0;

  constructor(onChange: () => void = () => undefined) {
    this.#onChange = onChange;
  }

  /** Asks for the progress on `review` (each new review object, i.e. every reload, asks again). */
  show(repo: string | null, review: Review | null): void {
    const follows = this.#shown.follow(repo, review);
    if (follows === 'unchanged') return;
    if (follows === 'other') {
      this.progress = null;
      this.marking = new Set();
      this.error = null;
    }
    void this.reload();
  }

  async reload(): Promise<void> {
    const repo = this.#shown.repo;
    const target = this.#shown.target;
    const request = ++this.#request;
    if (repo === null || target === null) return;
    try {
      const result = await commands.reviewProgress(repo, target);
      if (request !== this.#request) return;
      if (result.status === 'ok') this.progress = result.data;
      else this.error = describeError(result.error);
    } catch (error) {
      if (request === this.#request) this.error = describeError(error);
    }
  }

  /** Marks hunk `hunkId` of `file` viewed, or unviewed when it is viewed now. */
  async toggleViewed(file: string, hunkId: string): Promise<void> {
    const state = this.hunks.get(hunkId);
    await this.markViewed(file, hunkId, state !== 'viewed');
  }

  async markViewed(file: string, hunkId: string | null, viewed: boolean): Promise<void> {
    const repo = this.#shown.repo;
    const target = this.#shown.target;
    if (repo === null || target === null) return;
    const key = hunkId ?? `file:${file}`;
    if (this.marking.has(key)) return;
    this.marking = new Set([...this.marking, key]);
    this.error = null;
    const request = ++this.#request;
    try {
      const result = await commands.markViewed(repo, target, file, hunkId, viewed);
      if (result.status === 'error') this.error = describeError(result.error);
      else if (request === this.#request) this.progress = result.data;
      else void this.reload();
    } catch (error) {
      this.error = describeError(error);
    } finally {
      if (this.#shown.isShowing(repo, target)) {
        const marking = new Set(this.marking);
        marking.delete(key);
        this.marking = marking;
      }
    }
    this.#onChange();
  }

  /** Records `verdict` on the shown target; approving may first need the reviewer to confirm. */
  async decide(verdict: Verdict, message: string, confirmed: boolean): Promise<DecideOutcome> {
    const repo = this.#shown.repo;
    const target = this.#shown.target;
    if (repo === null || target === null) return { state: 'failed', error: describeError(new Error('No review is open')) };
    const request = ++this.#request;
    try {
      const trimmed = message.trim();
      const result = await commands.decide(repo, target, verdict, trimmed === '' ? null : trimmed, confirmed);
      if (result.status === 'error') {
        if (result.error.kind === 'needsConfirmation') return { state: 'needsConfirmation', reasons: result.error.message };
        return { state: 'failed', error: describeError(result.error) };
      }
      if (request === this.#request) this.progress = result.data;
      else void this.reload();
      this.#onChange();
      return { state: 'decided' };
    } catch (error) {
      return { state: 'failed', error: describeError(error) };
    }
  }
}
