/**
 * Undoing a hunk (or a whole file) of the agent's uncommitted change, and redoing it: the
 * reviewer asks, confirms in a dialog naming the file and hunk, the core rewrites the working
 * tree and records the undo (the agent is told, with its next notes); then the review reloads and
 * a notice offers one-step redo. Only the working tree's changes can be undone.
 */
import { commands, type Target, type UndoOutcome } from '../../lib/bindings';
import { describeError, type ErrorView } from '../../lib/errorView';

/** What the reviewer asked to undo, waiting for confirmation. */
export interface UndoRequest {
  repo: string;
  target: Target;
  /** The file as the core names it in the review (the new path, or the old one of a deletion). */
  file: string;
  /** The hunk; `null` for every change of the file. */
  hunkId: string | null;
  /** The hunk's range and function (`@@ -40,9 +42,10 @@ fn serve`), for the dialog. */
  header: string | null;
  /** The hunk's changed lines with their signs, for the dialog (empty for a whole file). */
  lines: readonly string[];
}

/** What the notice after an undo says: undone (redo offered) or put back. */
export interface UndoNotice {
  state: 'undone' | 'redone';
  /** A whole file's changes, not one hunk. */
  wholeFile: boolean;
  outcome: UndoOutcome;
}

export class UndoState {
  /** The undo waiting for the reviewer's confirmation. */
  request = $state.raw<UndoRequest | null>(null);
  busy = $state(false);
  notice = $state.raw<UndoNotice | null>(null);
  error = $state.raw<ErrorView | null>(null);

  /** Called once the working tree changed here: the review must reload. */
  readonly #onChange: () => Promise<void>;
  #repo: string | null = null;

  constructor(onChange: () => Promise<void>) {
    this.#onChange = onChange;
  }

  /** Opens the confirmation for `request`. */
  ask(request: UndoRequest): void {
    if (this.busy) return;
    this.request = request;
  }

  cancel(): void {
    this.request = null;
  }

  /** Undoes what was confirmed; the review reloads and the notice offers redo. */
  async confirm(): Promise<void> {
    const request = this.request;
    if (request === null || this.busy) return;
    this.request = null;
    this.notice = null;
    const outcome = await this.#run(() => commands.undoHunk(request.repo, request.target, request.file, request.hunkId));
    if (outcome === null) return;
    this.#repo = request.repo;
    this.notice = { state: 'undone', wholeFile: request.hunkId === null, outcome };
    await this.#onChange();
  }

  /** Puts back what the latest undo reverted; the review reloads. */
  async redo(): Promise<void> {
    const repo = this.#repo;
    const notice = this.notice;
    if (repo === null || notice === null || notice.state !== 'undone' || this.busy) return;
    const outcome = await this.#run(() => commands.redoUndo(repo));
    if (outcome === null) return;
    this.notice = { state: 'redone', wholeFile: notice.wholeFile, outcome };
    await this.#onChange();
  }

  /** Runs an undo or redo, one at a time; its outcome, or `null` with the failure kept in `error`. */
  async #run(call: () => Promise<{ status: 'ok'; data: UndoOutcome } | { status: 'error'; error: unknown }>): Promise<UndoOutcome | null> {
    this.busy = true;
    this.error = null;
    try {
      const result = await call();
      if (result.status === 'ok') return result.data;
      this.error = describeError(result.error);
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
    }
    return null;
  }

  dismiss(): void {
    this.notice = null;
  }
}
