import { describe, expect, it } from 'vitest';
import { EXPAND_STEP, NOTHING_SHOWN, expandGap, fileGaps, hiddenLines, oldLineOf, shownRanges } from './contextGaps';

/** A hunk by its header's numbers: `@@ -oldStart,oldLines +newStart,newLines @@`. */
const hunk = (oldStart: number, oldLines: number, newStart: number, newLines: number) => ({ oldStart, oldLines, newStart, newLines });

describe('fileGaps', () => {
  it('finds the lines before, between and after the hunks, with the old side\'s numbering', () => {
    // Lines 1-9 unchanged; a hunk at 10-16 adding 2 lines; 17-40 unchanged; a hunk at new 41-45.
    const gaps = fileGaps([hunk(10, 5, 10, 7), hunk(39, 5, 41, 5)]);
    expect(gaps).toEqual([
      { before: 0, start: 1, end: 9, shift: 0 },
      { before: 1, start: 17, end: 40, shift: 2 },
      { before: 2, start: 46, end: null, shift: 2 },
    ]);
    expect(oldLineOf(gaps[1]!, 17)).toBe(15);
    expect(oldLineOf(gaps[1]!, 40)).toBe(38);
  });

  it('leaves out a gap of no lines, and has none for an added or deleted file', () => {
    expect(fileGaps([hunk(1, 4, 1, 5)]).map((g) => g.before)).toEqual([1]);
    expect(fileGaps([hunk(0, 0, 1, 12)])).toEqual([]);
    expect(fileGaps([hunk(1, 12, 0, 0)])).toEqual([]);
  });
});

describe('expanding a gap', () => {
  const [between] = fileGaps([hunk(1, 4, 1, 4), hunk(100, 4, 100, 4)]); // lines 5-99: 95 hidden

  it('shows EXPAND_STEP lines down from the hunk above, or up from the hunk below', () => {
    expect(hiddenLines(between!, NOTHING_SHOWN, null)).toBe(95);
    const down = expandGap(between!, NOTHING_SHOWN, 'down', null);
    expect(down).toEqual({ top: EXPAND_STEP, bottom: 0 });
    const up = expandGap(between!, down, 'up', null);
    expect(up).toEqual({ top: EXPAND_STEP, bottom: EXPAND_STEP });
    expect(shownRanges(between!, up, null)).toEqual({ top: [5, 4 + EXPAND_STEP], bottom: [100 - EXPAND_STEP, 99] });
    expect(hiddenLines(between!, up, null)).toBe(95 - 2 * EXPAND_STEP);
  });

  it('shows the rest with all, and never more than the gap', () => {
    const all = expandGap(between!, { top: 10, bottom: 5 }, 'all', null);
    expect(hiddenLines(between!, all, null)).toBe(0);
    const [small] = fileGaps([hunk(1, 4, 1, 4), hunk(12, 4, 12, 4)]); // lines 5-11
    const once = expandGap(small!, NOTHING_SHOWN, 'down', null);
    expect(once).toEqual({ top: 7, bottom: 0 });
    expect(shownRanges(small!, once, null)).toEqual({ top: [5, 11], bottom: [12, 11] });
  });

  it('grows the gap after the last hunk down only, up to the file\'s end once known', () => {
    const after = fileGaps([hunk(1, 4, 1, 4)]).at(-1)!;
    expect(hiddenLines(after, NOTHING_SHOWN, null)).toBeNull();
    const first = expandGap(after, NOTHING_SHOWN, 'up', null);
    expect(first).toEqual({ top: EXPAND_STEP, bottom: 0 });
    // The file has 30 lines: 26 after the hunk, 6 still hidden.
    expect(hiddenLines(after, first, 30)).toBe(6);
    expect(expandGap(after, first, 'down', 30)).toEqual({ top: 26, bottom: 0 });
    expect(shownRanges(after, first, 30)).toEqual({ top: [5, 24], bottom: [31, 30] });
  });
});
