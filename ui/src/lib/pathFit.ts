/**
 * Paths that fit their row: the directory part is shortened a whole directory at a time
 * (`src/…/limits/`), never cut mid-word, and the file name is kept whole.
 */

/** The parts of a path to show: `dir` (with its trailing slash, maybe elided) and `name`. */
export interface FittedPath {
  dir: string;
  name: string;
  /** True when directories were left out. */
  elided: boolean;
}

export const ELLIPSIS = '…';

/**
 * `path` shortened to fit `available` (in the units `measure` returns): whole, else the
 * directory with directories from its middle left out, keeping the nearest ones, then the
 * first, as many as fit (the first alone last); `…/` and the name when none does. The name is never shortened.
 */
export function fitPath(path: string, available: number, measure: (text: string) => number): FittedPath {
  const cut = path.lastIndexOf('/');
  const name = path.slice(cut + 1);
  const dir = path.slice(0, cut + 1);
  if (dir === '' || measure(path) <= available) return { dir, name, elided: false };
  const parts = dir.slice(0, -1).split('/');
  const count = parts.length;
  const fits = (shown: string) => measure(shown + name) <= available;
  // The more directories kept the better; for as many, the nearest to the file first.
  for (let kept = count - 1; kept >= 1; kept--) {
    const tail = parts.slice(count - kept);
    const nearest = `${ELLIPSIS}/${tail.map((part) => `${part}/`).join('')}`;
    if (fits(nearest)) return { dir: nearest, name, elided: true };
    if (kept >= 2) {
      const withFirst = `${parts[0]}/${ELLIPSIS}/${parts
        .slice(count - kept + 1)
        .map((part) => `${part}/`)
        .join('')}`;
      if (fits(withFirst)) return { dir: withFirst, name, elided: true };
    }
  }
  // The first directory alone, then none.
  const first = `${parts[0]}/${ELLIPSIS}/`;
  if (count >= 2 && fits(first)) return { dir: first, name, elided: true };
  return { dir: `${ELLIPSIS}/`, name, elided: true };
}
