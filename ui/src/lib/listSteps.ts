/**
 * `j`/`k` and `n`/`p` through the files the list shows (filtered, outside collapsed
 * directories), in its order, also when the shown file is not among them (filtered out, or in
 * a directory just collapsed): then the step is from where that file stands in `around`, the
 * order of every file the list would show.
 */
import { stepHunkInOrder, stepInOrder, type HunkPosition } from './navigation';

/**
 * The first file of `order` after (`1`) or before (`-1`) `current` in `around`; the first (or
 * last) of `order` when `current` is nowhere in `around`.
 */
function nearestShown(order: readonly number[], around: readonly number[], current: number | null, delta: 1 | -1): number | null {
  const shown = new Set(order);
  const from = current === null ? -1 : around.indexOf(current);
  if (from >= 0) {
    for (let position = from + delta; position >= 0 && position < around.length; position += delta) {
      const file = around[position]!;
      if (shown.has(file)) return file;
    }
    return null;
  }
  return (delta === 1 ? order[0] : order[order.length - 1]) ?? null;
}

/** The file after (`1`) or before (`-1`) `current` among `order` (see the module's note), stopping at the ends. */
export function stepFileWithin(order: readonly number[], current: number | null, delta: 1 | -1, around: readonly number[] = []): number | null {
  if (current !== null && order.includes(current)) return stepInOrder(order, current, delta);
  return nearestShown(order, around, current, delta);
}

/**
 * The next or previous hunk among the files of `order`, running on from file to file; from a
 * file outside `order`, the first hunk from the next shown file on (or the last one before it).
 */
export function stepHunkWithin(
  order: readonly number[],
  hunkCounts: readonly number[],
  at: HunkPosition | null,
  delta: 1 | -1,
  around: readonly number[] = [],
): HunkPosition | null {
  if (order.length === 0) return null;
  if (at !== null && order.includes(at.file)) return stepHunkInOrder(order, hunkCounts, at, delta);
  const file = nearestShown(order, around, at?.file ?? null, delta);
  if (file === null) return null;
  // Just before that file's first hunk (or just after its last), then one step.
  const from = delta === 1 ? { file, hunk: null } : { file, hunk: hunkCounts[file] ?? 0 };
  return stepHunkInOrder(order, hunkCounts, from, delta);
}
