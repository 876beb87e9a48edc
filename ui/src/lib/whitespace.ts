/**
 * "Hide whitespace": the shown file is loaded again as `git diff -w` shows it (the core's
 * `file_diff` with `ignoreWhitespace`), while the review itself — its hunks, their ids, viewed
 * marks, notes — stays git's. What the window says about it, and which hunks of the `-w` diff
 * are the review's own (only those can be marked viewed), are decided here.
 */
import type { FileDiff } from './bindings';
import type { FileLoad } from './fileLoads';
import { countOf } from './plural';

/** Why a hunk shown ignoring whitespace cannot be marked viewed (its title, and what `v` says). */
export const NOT_THE_REVIEWS_HUNK =
  "Ignoring whitespace made this hunk differ from the review's hunks, and viewed marks are kept on the review's: show whitespace (w) to mark it viewed";

/** The files loaded ignoring whitespace, by index; the file on screen asks for its own. */
export type WhitespaceLoads = ReadonlyMap<number, FileLoad>;

/**
 * The loads of files ignoring whitespace kept across a reload of the same review (`loads`
 * already carried to the new file positions): a file whose sides are the same blobs keeps its
 * diff; one whose blobs changed, or whose load was still on its way, keeps showing the old one
 * and is fetched again; a failed load is dropped (asked again when the file is shown).
 */
export function carryWhitespaceLoads(loads: WhitespaceLoads, files: readonly FileDiff[]): { loads: Map<number, FileLoad>; refetch: number[] } {
  const kept = new Map<number, FileLoad>();
  const refetch: number[] = [];
  for (const [index, load] of loads) {
    const file = files[index];
    if (file === undefined || load.state === 'failed') continue;
    kept.set(index, load);
    const same = load.state === 'loaded' && load.file.oldId === file.oldId && load.file.newId === file.newId && file.newId !== null;
    if (!same) refetch.push(index);
  }
  return { loads: kept, refetch };
}

/** Whether a file can differ at all when whitespace is ignored: it has text lines on both sides. */
export function whitespaceMatters(file: FileDiff): boolean {
  return !file.binary && file.status !== 'added' && file.status !== 'deleted' && file.oldId !== null && file.newId !== null;
}

/** The ids of `shown`'s hunks that are not hunks of `reviewed` (the same file as the review has it). */
export function foreignHunks(shown: FileDiff, reviewed: FileDiff): Set<string> {
  const own = new Set(reviewed.hunks.map((hunk) => hunk.id));
  return new Set(shown.hunks.filter((hunk) => !own.has(hunk.id)).map((hunk) => hunk.id));
}

/** What the window says above a file while whitespace is hidden. */
export interface WhitespaceNotice {
  /** One short sentence, always saying that whitespace changes are hidden. */
  text: string;
  /** More about it, for the notice's title: what the counts mean and what can be marked viewed. */
  detail: string;
  /** `loading`: the file's `-w` diff is on its way; `failed`: the review's diff is shown instead. */
  state: 'loading' | 'shown' | 'failed';
}

/**
 * The notice for the file `reviewed` (as the review has it) while whitespace is hidden, given
 * where loading its `-w` diff stands (`null`: not asked, e.g. a file whitespace cannot matter to).
 */
export function whitespaceNotice(reviewed: FileDiff, load: FileLoad | null): WhitespaceNotice {
  const detail = "As git diff -w shows it. The review, its hunks and their viewed marks stay git's own diff.";
  if (load === null || !whitespaceMatters(reviewed)) {
    return { text: 'Whitespace changes are hidden.', detail, state: 'shown' };
  }
  if (load.state === 'loading') {
    return { text: 'Whitespace changes are hidden: comparing this file without whitespace…', detail, state: 'loading' };
  }
  if (load.state === 'failed') {
    return { text: `Whitespace changes are hidden, but this file could not be compared without them: ${load.error.message}`, detail, state: 'failed' };
  }
  const shown = load.file;
  if (shown.hunks.length === 0) {
    return { text: 'Whitespace changes are hidden: only whitespace changed in this file.', detail, state: 'shown' };
  }
  const hidden = reviewed.hunks.length === 0 ? 0 : Math.max(0, reviewed.additions + reviewed.deletions - (shown.additions + shown.deletions));
  const foreign = foreignHunks(shown, reviewed).size;
  const parts = [hidden > 0 ? `Whitespace changes are hidden (${countOf(hidden, 'changed line', 'changed lines')} not shown).` : 'Whitespace changes are hidden.'];
  if (foreign > 0) parts.push(`${countOf(foreign, 'hunk differs', 'hunks differ')} from the review's and cannot be marked viewed here.`);
  return {
    text: parts.join(' '),
    detail: foreign > 0 ? `${detail} ${NOT_THE_REVIEWS_HUNK}.` : detail,
    state: 'shown',
  };
}
