/** A list reached with one Tab stop (a roving tabindex): which row a key moves focus to. */

/** Rows a PageUp/PageDown moves. */
export const PAGE_ROWS = 10;

/**
 * The row `key` moves focus to from `current` in a list of `count` rows: ArrowDown/ArrowUp one
 * row (stopping at the ends), PageDown/PageUp a page, Home/End the first/last. `null` for any
 * other key or an empty list.
 */
export function rovingMove(key: string, current: number, count: number): number | null {
  if (count <= 0) return null;
  const clamp = (index: number) => Math.min(count - 1, Math.max(0, index));
  switch (key) {
    case 'ArrowDown':
      return clamp(current + 1);
    case 'ArrowUp':
      return clamp(current - 1);
    case 'PageDown':
      return clamp(current + PAGE_ROWS);
    case 'PageUp':
      return clamp(current - PAGE_ROWS);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * The row that holds the list's Tab stop: the one focus was last on while it is still there,
 * else the selected one, else the first. `null` for an empty list.
 */
export function rovingStop(count: number, lastFocused: number | null, selected: number | null): number | null {
  if (count <= 0) return null;
  if (lastFocused !== null && lastFocused >= 0 && lastFocused < count) return lastFocused;
  if (selected !== null && selected >= 0 && selected < count) return selected;
  return 0;
}
