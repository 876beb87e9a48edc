/**
 * Full diffs of files the review left out for size, loaded at the reviewer's request, and what
 * becomes of them when the review reloads under the reviewer (the agent wrote again).
 */
import type { FileDiff } from './bindings';
import type { ErrorView } from './errorView';

/** Loading the full diff of a file the review left out for size. */
export type FileLoad =
  | { state: 'loading' }
  | { state: 'loaded'; file: FileDiff }
  | { state: 'failed'; error: ErrorView };

/**
 * The full diffs the reviewer loaded, kept across a reload of the same review (`loads` already
 * carried to the new file positions): a file whose sides are the same blobs keeps its diff; a
 * file that changed, or whose diff was still on its way, is fetched again (its old diff stays
 * shown meanwhile); a file now small enough to come with the review, or whose load failed,
 * needs none.
 */
export function carryLoads(loads: ReadonlyMap<number, FileLoad>, files: readonly FileDiff[]): { loads: Map<number, FileLoad>; refetch: number[] } {
  const kept = new Map<number, FileLoad>();
  const refetch: number[] = [];
  for (const [index, load] of loads) {
    const file = files[index];
    if (file === undefined || file.omitted === null || load.state === 'failed') continue;
    kept.set(index, load);
    const same = load.state === 'loaded' && file.newId !== null && load.file.newId === file.newId && load.file.oldId === file.oldId;
    if (!same) refetch.push(index);
  }
  return { loads: kept, refetch };
}

