/**
 * Keeps the reviewer's place when the review is reloaded under them: the selected file, the files
 * they opened, the full diffs they loaded, matched by path between the old and the new list of files.
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
  return new Set(carryEntries(before, after, new Map([...indices].map((index) => [index, true]))).keys());
}

/** What is kept per file (`entries`, by index in `before`), re-keyed by index in `after`; files that are gone lose theirs. */
export function carryEntries<T>(before: readonly FilePaths[], after: readonly FilePaths[], entries: ReadonlyMap<number, T>): Map<number, T> {
  const positions = new Map(after.map((file, index) => [displayPath(file), index]));
  const carried = new Map<number, T>();
  for (const [index, value] of entries) {
    const file = before[index];
    const found = file === undefined ? undefined : positions.get(displayPath(file));
    if (found !== undefined) carried.set(found, value);
  }
  return carried;
}
