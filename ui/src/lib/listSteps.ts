/**
 * `j`/`k` and `n`/`p` through the files the list shows (filtered, outside collapsed
 * directories), in its order, also when the shown file is not among them.
 */
import { stepHunkInOrder, stepInOrder, type HunkPosition } from './navigation';

/** The file after (`1`) or before (`-1`) `current` among `order`; from outside it, its first (or last). */
export function stepFileWithin(order: readonly number[], current: number | null, delta: 1 | -1): number | null {
  if (current !== null && order.includes(current)) return stepInOrder(order, current, delta);
  return (delta === 1 ? order[0] : order[order.length - 1]) ?? null;
}

/**
 * The next or previous hunk among the files of `order`, running on from file to file; from a
 * file outside `order`, the first hunk of its files (or the last one, going back).
 */
export function stepHunkWithin(order: readonly number[], hunkCounts: readonly number[], at: HunkPosition | null, delta: 1 | -1): HunkPosition | null {
  if (order.length === 0) return null;
  if (at !== null && order.includes(at.file)) return stepHunkInOrder(order, hunkCounts, at, delta);
  if (delta === 1) return stepHunkInOrder(order, hunkCounts, { file: order[0]!, hunk: null }, 1);
  for (let position = order.length - 1; position >= 0; position--) {
    const file = order[position]!;
    const count = hunkCounts[file] ?? 0;
    if (count > 0) return { file, hunk: count - 1 };
  }
  return null;
}
