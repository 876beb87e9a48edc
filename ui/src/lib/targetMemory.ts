/**
 * Where the reviewer was in each target, for the session: the file shown (by its path) and the
 * hunk moved to, so that going back to a target (with `[`/`]`, a click or the palette) puts them
 * back there. Pure: a map in, a map or a place out.
 */

/** A place in a review: a file by display path, and the hunk moved to in it (`null`: none yet). */
export interface Place {
  path: string;
  hunk: number | null;
}

/** `memory` with `place` remembered for the target `key` (a new map; `null` forgets it). */
export function remember(memory: ReadonlyMap<string, Place>, key: string, place: Place | null): Map<string, Place> {
  const next = new Map(memory);
  if (place === null) next.delete(key);
  else next.set(key, place);
  return next;
}

/**
 * Where to be on opening the target `key` with `paths` (its files' display paths, in the
 * review's order): the remembered file if it is still there, with its hunk if the file still has
 * it; else the first file. `null` file for a review without files.
 */
export function recall(
  memory: ReadonlyMap<string, Place>,
  key: string,
  paths: readonly string[],
  hunkCount: (index: number) => number,
): { file: number | null; hunk: number | null } {
  const first = paths.length > 0 ? 0 : null;
  const place = memory.get(key);
  if (place === undefined) return { file: first, hunk: null };
  const file = paths.indexOf(place.path);
  if (file < 0) return { file: first, hunk: null };
  const hunk = place.hunk !== null && place.hunk >= 0 && place.hunk < hunkCount(file) ? place.hunk : null;
  return { file, hunk };
}
