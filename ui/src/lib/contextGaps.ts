/**
 * The unchanged lines a diff leaves out around its hunks, and how many of them the reviewer
 * asked to see. git shows three lines of context; "expand" shows more of a gap, from the hunk
 * above (down), from the hunk below (up), or all of it, as GitHub does. The lines themselves
 * are the new side's (unchanged lines are the same on both sides); their old-side numbers
 * follow from the hunk next to them.
 */
import type { Hunk } from './bindings';

/** How many lines one click on "expand up" or "expand down" shows. */
export const EXPAND_STEP = 20;

/** Unchanged new-side lines between two hunks (or before the first, or after the last). */
export interface Gap {
  /** The hunk the gap comes before; `hunks.length` for the gap after the last hunk. */
  before: number;
  /** First and last new-side line of the gap, 1-based; `end` is `null` after the last hunk (the file's end is not known yet). */
  start: number;
  end: number | null;
  /** The old side's number of new-side line `n` is `n - shift`. */
  shift: number;
}

/** The new-side lines a hunk shows, as a 1-based inclusive span (`end < start` when it shows none). */
function newSpan(hunk: Pick<Hunk, 'newStart' | 'newLines'>): { start: number; end: number } {
  return hunk.newLines > 0 ? { start: hunk.newStart, end: hunk.newStart + hunk.newLines - 1 } : { start: hunk.newStart + 1, end: hunk.newStart };
}

function oldSpan(hunk: Pick<Hunk, 'oldStart' | 'oldLines'>): { start: number; end: number } {
  return hunk.oldLines > 0 ? { start: hunk.oldStart, end: hunk.oldStart + hunk.oldLines - 1 } : { start: hunk.oldStart + 1, end: hunk.oldStart };
}

/**
 * The gaps of a file with `hunks` (in order), left out when empty. A file whose hunks start at
 * line 0 on a side (added or deleted) has none: it is all shown.
 */
export function fileGaps(hunks: readonly Pick<Hunk, 'oldStart' | 'oldLines' | 'newStart' | 'newLines'>[]): Gap[] {
  if (hunks.length === 0 || hunks.some((hunk) => hunk.oldStart === 0 || hunk.newStart === 0)) return [];
  const gaps: Gap[] = [];
  let nextNew = 1;
  for (const [index, hunk] of hunks.entries()) {
    const span = newSpan(hunk);
    const shift = span.start - oldSpan(hunk).start;
    if (span.start > nextNew) gaps.push({ before: index, start: nextNew, end: span.start - 1, shift });
    nextNew = span.end + 1;
  }
  const last = hunks.at(-1)!;
  gaps.push({ before: hunks.length, start: nextNew, end: null, shift: newSpan(last).end - oldSpan(last).end });
  return gaps;
}

/** How much of a gap is shown: lines from its top (under the hunk above) and from its bottom. */
export interface Reveal {
  top: number;
  bottom: number;
}

export const NOTHING_SHOWN: Reveal = { top: 0, bottom: 0 };

/** The last line of `gap`, once the file's length (`total` lines on the new side) is known. */
export function gapEnd(gap: Gap, total: number | null): number | null {
  return gap.end ?? total;
}

/** How many lines of `gap` are still hidden (`null` while the file's end is unknown). */
export function hiddenLines(gap: Gap, reveal: Reveal, total: number | null): number | null {
  const end = gapEnd(gap, total);
  if (end === null) return null;
  return Math.max(0, end - gap.start + 1 - reveal.top - reveal.bottom);
}

/**
 * What one click shows: `down` the next lines under the hunk above, `up` the lines over the
 * hunk below, `all` the rest. The gap after the last hunk only grows down.
 */
export function expandGap(gap: Gap, reveal: Reveal, direction: 'up' | 'down' | 'all', total: number | null): Reveal {
  const hidden = hiddenLines(gap, reveal, total);
  if (direction === 'all') return hidden === null ? reveal : { ...reveal, top: reveal.top + hidden };
  const step = hidden === null ? EXPAND_STEP : Math.min(EXPAND_STEP, hidden);
  if (direction === 'up' && gap.end !== null) return { ...reveal, bottom: reveal.bottom + step };
  return { ...reveal, top: reveal.top + step };
}

/** The new-side line ranges (1-based, inclusive) a reveal shows, top first; a range may be empty (`end < start`). */
export function shownRanges(gap: Gap, reveal: Reveal, total: number | null): { top: [number, number]; bottom: [number, number] } {
  const end = gapEnd(gap, total) ?? gap.start + reveal.top - 1;
  const topEnd = Math.min(end, gap.start + reveal.top - 1);
  const bottomStart = Math.max(topEnd + 1, end - reveal.bottom + 1);
  return { top: [gap.start, topEnd], bottom: [bottomStart, end] };
}

/** The old side's number of new-side line `line` in `gap`. */
export function oldLineOf(gap: Gap, line: number): number {
  return line - gap.shift;
}
