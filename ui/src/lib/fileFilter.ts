/** The file list's filter: which files a typed query keeps. */

/**
 * The entries whose path holds every word of `query` (case-insensitive substrings,
 * separated by spaces), in the same order; all of them for a blank query.
 */
export function filterPaths<T extends { path: string }>(entries: readonly T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return [...entries];
  return entries.filter((entry) => {
    const path = entry.path.toLowerCase();
    return words.every((word) => path.includes(word));
  });
}
