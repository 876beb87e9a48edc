/** Moving through a review with the keyboard: to the next/previous file, target or hunk. */

/**
 * Steps `current` by `delta` within a list of `length` items, stopping at the ends (no wrap-around:
 * a reviewer who holds `j` must not find themselves back at the top). `null` when the list is empty;
 * from `null` (nothing selected) the first step lands on the first item.
 */
export function stepIndex(current: number | null, length: number, delta: 1 | -1): number | null {
  if (length <= 0) return null;
  if (current === null) return 0;
  return Math.min(length - 1, Math.max(0, current + delta));
}

/** A hunk of a review: index of its file, index of the hunk in it (`null` = before its first hunk). */
export interface HunkPosition {
  file: number;
  hunk: number | null;
}

/**
 * The next (`delta` 1) or previous (-1) hunk from `at`, given how many hunks each file has. It
 * runs on into the following (or preceding) files that have hunks, skipping binary and empty ones,
 * so `n` walks through the whole change. `null` when there is no hunk that way.
 */
export function stepHunk(hunkCounts: readonly number[], at: HunkPosition, delta: 1 | -1): HunkPosition | null {
  const here = hunkCounts[at.file] ?? 0;
  if (delta === 1) {
    const next = at.hunk === null ? 0 : at.hunk + 1;
    if (next < here) return { file: at.file, hunk: next };
    for (let file = at.file + 1; file < hunkCounts.length; file++) {
      if ((hunkCounts[file] ?? 0) > 0) return { file, hunk: 0 };
    }
    return null;
  }
  if (at.hunk !== null && at.hunk > 0 && at.hunk - 1 < here) return { file: at.file, hunk: at.hunk - 1 };
  for (let file = Math.min(at.file - 1, hunkCounts.length - 1); file >= 0; file--) {
    const count = hunkCounts[file] ?? 0;
    if (count > 0) return { file, hunk: count - 1 };
  }
  return null;
}

/**
 * Steps through files shown in `order` (indices of the review's files, as the list shows them):
 * the file after (or before) `current` in that order, stopping at the ends.
 */
export function stepInOrder(order: readonly number[], current: number | null, delta: 1 | -1): number | null {
  const position = current === null ? -1 : order.indexOf(current);
  const next = stepIndex(position < 0 ? null : position, order.length, delta);
  return next === null ? null : (order[next] ?? null);
}

/** `stepHunk` through files shown in `order`: `n` runs on into the next file of the list. */
export function stepHunkInOrder(order: readonly number[], hunkCounts: readonly number[], at: HunkPosition, delta: 1 | -1): HunkPosition | null {
  const position = order.indexOf(at.file);
  if (position < 0) return stepHunk(hunkCounts, at, delta);
  const next = stepHunk(
    order.map((index) => hunkCounts[index] ?? 0),
    { file: position, hunk: at.hunk },
    delta,
  );
  return next === null ? null : { file: order[next.file] ?? next.file, hunk: next.hunk };
}
