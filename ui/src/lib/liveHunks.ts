/**
 * Which hunks a live reload brought into the shown file, and which of those landed out of sight:
 * the diff view compares the hunk ids it drew last with the ones it draws now (a hunk id names its
 * content, so an edited hunk is a new one) and offers a cue to the ones below the visible area.
 */
import { countOf } from './plural';

/**
 * The ids of `after`'s hunks that `before` (the same file as drawn last) did not have, in order.
 * Nothing is new the first time a file is drawn (`before` is `null`), nor when it had no lines to
 * show before (its full diff just loaded): those are not changes that arrived while reading.
 */
export function newHunkIds(before: readonly { id: string }[] | null, after: readonly { id: string }[]): string[] {
  if (before === null || before.length === 0) return [];
  const known = new Set(before.map((hunk) => hunk.id));
  return after.filter((hunk) => !known.has(hunk.id)).map((hunk) => hunk.id);
}

/** Of `hunks` (an id and the top of its box), the ones whose top is at or below `bottom`, top first. */
export function hunksBelow(hunks: readonly { id: string; top: number }[], bottom: number): string[] {
  return hunks
    .filter((hunk) => hunk.top >= bottom)
    .sort((a, b) => a.top - b.top)
    .map((hunk) => hunk.id);
}

/** "1 change below", "3 changes below". */
export function changesBelowLabel(count: number): string {
  return `${countOf(count, 'change', 'changes')} below`;
}
