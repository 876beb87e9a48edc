/**
 * "Since my last review": what changed in the working tree since the reviewer last marked a hunk
 * of it viewed, shown in place of the review (read-only) until closed. Asked for when opened and
 * again, quietly, when the working tree changes under it; the file shown stays shown (by path)
 * while it is still among the changes. An answer for a repository no longer shown, or older than
 * the latest request, is dropped.
 */
import { commands, type FileDiff, type Interdiff } from '../../lib/bindings';
import { describeError, type ErrorView } from '../../lib/errorView';
import { stepHunk, stepIndex } from '../../lib/navigation';
import { displayPath } from '../../lib/path';

/** What the view shows: the answer on its way, the changes, nothing viewed yet, or a failure. */
export type SinceReviewView =
  | { state: 'loading' }
  | { state: 'loaded'; interdiff: Interdiff }
  /** Nothing of the working tree was marked viewed yet: there is no last review to compare with. */
  | { state: 'nothingViewed'; message: string }
  | { state: 'failed'; error: ErrorView };

export class SinceReviewState {
  /** `null` while closed. */
  view = $state.raw<SinceReviewView | null>(null);
  /** The shown file among the interdiff's files. */
  fileIndex = $state<number | null>(null);
  /** The hunk moved to with `n`/`p` in the shown file. */
  hunkIndex = $state<number | null>(null);
  /** Collapsed files (lock files, generated code) the reviewer opened, by index. */
  expanded = $state.raw<ReadonlySet<number>>(new Set());
  /** A quiet reload is on its way (the changes shown stay until it arrives). */
  refreshing = $state(false);

  #repo: string | null = null;
  #request = 0;

  get open(): boolean {
    return this.view !== null;
  }

  /** The changes, once they arrived. */
  get interdiff(): Interdiff | null {
    return this.view?.state === 'loaded' ? this.view.interdiff : null;
  }

  get files(): FileDiff[] {
    return this.interdiff?.files ?? [];
  }

  get selectedFile(): FileDiff | null {
    return this.fileIndex === null ? null : (this.files[this.fileIndex] ?? null);
  }

  /** Opens the view on `repo`'s working tree. */
  show(repo: string): Promise<void> {
    this.#repo = repo;
    this.view = { state: 'loading' };
    this.fileIndex = null;
    this.hunkIndex = null;
    this.expanded = new Set();
    return this.reload();
  }

  /** Asks again, keeping what is shown until the answer arrives; does nothing while closed. */
  async reload(): Promise<void> {
    const repo = this.#repo;
    if (repo === null || this.view === null) return;
    const request = ++this.#request;
    this.refreshing = true;
    let next: SinceReviewView;
    try {
      const result = await commands.sinceLastReview(repo);
      if (result.status === 'ok') next = { state: 'loaded', interdiff: result.data };
      else if (result.error.kind === 'unknownRevision') next = { state: 'nothingViewed', message: result.error.message };
      else next = { state: 'failed', error: describeError(result.error) };
    } catch (error) {
      next = { state: 'failed', error: describeError(error) };
    }
    if (request !== this.#request || repo !== this.#repo || this.view === null) return;
    this.refreshing = false;
    const shownPath = this.selectedFile === null ? null : displayPath(this.selectedFile);
    this.view = next;
    if (next.state !== 'loaded') {
      this.fileIndex = null;
      this.hunkIndex = null;
      return;
    }
    const files = next.interdiff.files;
    const kept = shownPath === null ? -1 : files.findIndex((file) => displayPath(file) === shownPath);
    if (kept < 0) {
      this.fileIndex = files.length > 0 ? 0 : null;
      this.hunkIndex = null;
      this.expanded = new Set();
    } else if (kept !== this.fileIndex) {
      this.fileIndex = kept;
      this.hunkIndex = null;
      this.expanded = new Set();
    }
  }

  close(): void {
    this.#request++;
    this.view = null;
    this.refreshing = false;
    this.fileIndex = null;
    this.hunkIndex = null;
    this.expanded = new Set();
  }

  selectFile(index: number): void {
    if (index < 0 || index >= this.files.length) return;
    this.fileIndex = index;
    this.hunkIndex = null;
  }

  stepFile(delta: 1 | -1): void {
    const next = stepIndex(this.fileIndex, this.files.length, delta);
    if (next !== null) this.selectFile(next);
  }

  stepHunk(delta: 1 | -1): void {
    const counts = this.files.map((file, index) => (file.collapsed === null || this.expanded.has(index) ? file.hunks.length : 0));
    const at = this.fileIndex === null ? { file: 0, hunk: null } : { file: this.fileIndex, hunk: this.hunkIndex };
    const next = stepHunk(counts, at, delta);
    if (next === null) return;
    this.fileIndex = next.file;
    this.hunkIndex = next.hunk;
  }

  isExpanded(index: number): boolean {
    const file = this.files[index];
    return file !== undefined && (file.collapsed === null || this.expanded.has(index));
  }

  expand(index: number): void {
    if (!this.expanded.has(index)) this.expanded = new Set([...this.expanded, index]);
  }
}
