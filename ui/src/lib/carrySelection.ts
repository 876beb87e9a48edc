/**
 * Keeps the reviewer's place when the review is reloaded under them: the selected file, the files
 * they opened, matched by path between the old and the new list of files.
 */
import { displayPath, type FilePaths } from './path';

/**
 * Where the file at `index` of `before` is in `after`. A file that is gone leaves the selection
 * at the same position (the next file takes its place), or on the last file; `null` when `after`
 * is empty or nothing was selected.
 */
export function carryIndex(before: readonly FilePaths[], after: readonly FilePaths[], index: number | null): number | null {
  if (after.length === 0) return null;
  if (index === null) return 0;
  const file = before[index];
  if (file !== undefined) {
    const path = displayPath(file);
    const found = after.findIndex((candidate) => displayPath(candidate) === path);
    if (found >= 0) return found;
  }
  return Math.min(index, after.length - 1);
}

/** The indices in `after` of the files at `indices` in `before` that are still there. */
export function carryIndices(
  before: readonly FilePaths[],
  after: readonly FilePaths[],
  indices: ReadonlySet<number>,
): Set<number> {
  const positions = new Map(after.map((file, index) => [displayPath(file), index]));
  const carried = new Set<number>();
  for (const index of indices) {
    const file = before[index];
    const found = file === undefined ? undefined : positions.get(displayPath(file));
    if (found !== undefined) carried.add(found);
  }
  return carried;
}
