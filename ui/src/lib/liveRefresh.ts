/**
 * What a change in the watched repository means for the window: which views to reload, how
 * several changes add up while a reload is running, and the one-line status the header shows.
 * Pure: the watcher's events come in, decisions come out.
 */
import type { Target, WatchEvent } from './bindings';
import { countOf } from './plural';
import { relativeTime } from './relativeTime';

/** The views a change makes stale. */
export interface Refresh {
  /** The open review's diff. */
  review: boolean;
  /** The target list: its commits and branches, and the working tree's and index's file counts. */
  targets: boolean;
}

/**
 * Which views `event` makes stale while `target` is open.
 *
 * - The working tree is HEAD against the index plus the files: any change reaches it. A commit on
 *   the current branch shows up as `refs` alone (HEAD points at the branch, the branch moved), so
 *   refs are never ignored.
 * - The index is HEAD against the index: file edits do not reach it until they are staged.
 * - A commit, range or branch is pinned to commits: only HEAD and refs can move it (`HEAD`,
 *   `main..agent/x`); files and the index never do.
 * - A turn of an agent session is pinned to snapshots, which are refs (`refs/redline/snapshots`):
 *   a new turn moves `turn` (the latest), and only refs can.
 *
 * The target list shows commits and branches, and the working tree's and index's file counts, so
 * every event reaches it.
 */
export function refreshFor(target: Target, event: WatchEvent): Refresh {
  const moved = event.head || event.refs;
  let review: boolean;
  switch (target.kind) {
    case 'worktree':
      review = event.worktree || event.index || moved;
      break;
    case 'staged':
      review = event.index || moved;
      break;
    case 'commit':
    case 'range':
    case 'branch':
    case 'turn':
      review = moved;
      break;
  }
  const targets = event.worktree || event.index || moved;
  return { review, targets };
}

/** How many sample paths an event carries at most (the watcher's `MAX_SAMPLE_PATHS`). */
const MAX_SAMPLE_PATHS = 20;

/**
 * Two events as one, for changes that arrive while a reload is running. The flags add up; the
 * changed-file count is exact while both samples are complete (then it is the size of their
 * union), and otherwise the sum, an upper bound (the same file may be in both).
 */
export function mergeEvents(a: WatchEvent, b: WatchEvent): WatchEvent {
  const complete = a.paths.length === a.changed && b.paths.length === b.changed;
  const union = [...new Set([...a.paths, ...b.paths])].sort();
  return {
    worktree: a.worktree || b.worktree,
    index: a.index || b.index,
    head: a.head || b.head,
    refs: a.refs || b.refs,
    paths: union.slice(0, MAX_SAMPLE_PATHS),
    changed: complete ? union.length : a.changed + b.changed,
  };
}

/** What the change was, in a few words: "3 files changed", "HEAD moved"; `null` when nothing says. */
export function changeSummary(event: WatchEvent): string | null {
  if (event.changed > 0) return countOf(event.changed, 'file changed', 'files changed');
  if (event.head) return 'HEAD moved';
  if (event.refs) return 'branches updated';
  if (event.index) return 'index updated';
  return null;
}

/** The last time the window reloaded for a change, and the change. */
export interface LiveUpdate {
  /** Milliseconds since the epoch. */
  at: number;
  event: WatchEvent;
}

/** "Updated just now · 3 files changed", "Updated 5 min ago · HEAD moved". */
export function liveStatus(update: LiveUpdate, nowMs: number): string {
  const when = `Updated ${relativeTime(update.at / 1000, nowMs)}`;
  const what = changeSummary(update.event);
  return what === null ? when : `${when} · ${what}`;
}
