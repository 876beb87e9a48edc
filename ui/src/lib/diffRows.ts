/** What the diff view draws for a hunk: one row per line, plus the "no newline" markers git prints. */
import type { Hunk, LineKind } from './bindings';
import { emphasisSegments, type Segment } from './emphasis';

/** The text git prints after a line that has no newline at its end. */
export const NO_NEWLINE_TEXT = '\\ No newline at end of file';

/** The one-character sign column of a unified diff. */
export const SIGNS: Record<LineKind, string> = { context: ' ', added: '+', removed: '-' };

export type DiffRow =
  | {
      type: 'line';
      /** Unique within the hunk, for keyed rendering. */
      key: string;
      kind: LineKind;
      sign: string;
      oldLine: number | null;
      newLine: number | null;
      text: string;
      /** The text was not valid UTF-8 and was decoded with replacement characters. */
      lossy: boolean;
      /** `text` cut at the words that changed against the paired line; empty when none did. */
      emphasis: Segment[];
    }
  | { type: 'noNewline'; key: string };

/**
 * The rows of one hunk, in order: each line, followed by a marker row where the line has no
 * newline. With `start` and `end`, only the rows of lines `start..end` (keys stay those of the
 * whole hunk).
 */
export function hunkRows(hunk: Pick<Hunk, 'lines'>, start = 0, end = hunk.lines.length): DiffRow[] {
  const rows: DiffRow[] = [];
  for (let index = start; index < Math.min(end, hunk.lines.length); index += 1) {
    const line = hunk.lines[index]!;
    rows.push({
      type: 'line',
      key: `l${index}`,
      kind: line.kind,
      sign: SIGNS[line.kind],
      oldLine: line.oldLine,
      newLine: line.newLine,
      text: line.text,
      lossy: line.lossy,
      emphasis: line.emphasis.length > 0 ? emphasisSegments(line.text, line.emphasis) : [],
    });
    if (line.noNewline) rows.push({ type: 'noNewline', key: `n${index}` });
  }
  return rows;
}

/**
 * Lines per block of a long diff. The diff view draws only the blocks near the screen; the
 * others are empty space of their height, so a 20,000-line file opens and scrolls as fast as
 * a short one.
 */
export const BLOCK_LINES = 50;

/** Below this many lines in a file, every block is drawn: nothing to gain, and simpler pages. */
export const VIRTUAL_MIN_LINES = 600;

/** A run of about `BLOCK_LINES` lines of one hunk, drawn or left as space as a whole. */
export interface RowBlock {
  /** `hunk:first line`, unique in the file. */
  key: string;
  hunk: number;
  /** The hunk's lines `start..end`. */
  start: number;
  end: number;
  /** Rows it draws (lines and "no newline" markers), for its height before it is measured. */
  rows: number;
}

/**
 * The blocks of hunk number `hunkIndex`, in order. A block does not end between the removed
 * and the added lines of one change (split view pairs them side by side), unless that change
 * is longer than ten blocks.
 */
export function hunkBlocks(hunk: Pick<Hunk, 'lines'>, hunkIndex: number): RowBlock[] {
  const blocks: RowBlock[] = [];
  const lines = hunk.lines;
  // pairs[i]: line i is an added line of a change that has removed lines before it (one pass).
  const pairs = new Uint8Array(lines.length);
  let removedInChange = false;
  for (const [index, line] of lines.entries()) {
    if (line.kind === 'context') removedInChange = false;
    else if (line.kind === 'removed') removedInChange = true;
    else if (removedInChange) pairs[index] = 1;
  }
  let start = 0;
  while (start < lines.length) {
    let end = Math.min(start + BLOCK_LINES, lines.length);
    const limit = Math.min(start + BLOCK_LINES * 10, lines.length);
    while (end < limit && pairs[end] === 1) end += 1;
    let rows = end - start;
    for (let index = start; index < end; index += 1) if (lines[index]!.noNewline) rows += 1;
    blocks.push({ key: `${hunkIndex}:${start}`, hunk: hunkIndex, start, end, rows });
    start = end;
  }
  return blocks;
}

/** The key of the block of `blocks` that draws line `lineIndex`. */
export function blockKeyOf(blocks: readonly RowBlock[], lineIndex: number): string | null {
  return blocks.find((block) => lineIndex >= block.start && lineIndex < block.end)?.key ?? null;
}

/**
 * The blocks to draw first, before anything is measured: from the top, until their estimated
 * height fills `height` pixels (every block when the file is short).
 */
export function firstBlocks(hunks: readonly Pick<Hunk, 'lines'>[], height: number, rowHeight: number, headerHeight: number): Set<string> {
  const shown = new Set<string>();
  const total = hunks.reduce((sum, hunk) => sum + hunk.lines.length, 0);
  let top = 0;
  for (const [index, hunk] of hunks.entries()) {
    top += headerHeight;
    for (const block of hunkBlocks(hunk, index)) {
      if (total >= VIRTUAL_MIN_LINES && top > height) return shown;
      shown.add(block.key);
      top += block.rows * rowHeight;
    }
  }
  return shown;
}

/**
 * A hunk header cut into its ranges (`@@ -1,4 +1,5 @@`) and the context git appends (often the
 * enclosing function), so the two can be styled apart. `range + context` is the header.
 */
export function splitHunkHeader(header: string): { range: string; context: string } {
  const match = /^@@+ [^@]* @@+/.exec(header);
  if (match === null) return { range: header, context: '' };
  return { range: match[0], context: header.slice(match[0].length) };
}

/** A line drawn in split view: its row, and whether git's "no newline" marker follows it. */
export type LineRow = Extract<DiffRow, { type: 'line' }>;

/**
 * A row of split view: the old side's line on the left, the new side's on the right. A context
 * line is on both; a change's removed lines are paired in order with its added lines, the
 * longer side's extra lines facing nothing. `noNewline` rows carry git's marker per side.
 */
export type SplitRow =
  | { type: 'pair'; key: string; old: LineRow | null; new: LineRow | null }
  | { type: 'noNewline'; key: string; old: boolean; new: boolean };

/** The split view rows of a hunk's `rows` (see `hunkRows`). */
export function splitRows(rows: readonly DiffRow[]): SplitRow[] {
  const out: SplitRow[] = [];
  let removed: LineRow[] = [];
  let added: LineRow[] = [];
  let removedEnd = false;
  let addedEnd = false;
  const flush = () => {
    for (let index = 0; index < Math.max(removed.length, added.length); index += 1) {
      const old = removed[index] ?? null;
      const next = added[index] ?? null;
      out.push({ type: 'pair', key: `${old?.key ?? ''}|${next?.key ?? ''}`, old, new: next });
    }
    if (removedEnd || addedEnd) out.push({ type: 'noNewline', key: `n${removed.at(-1)?.key ?? ''}|${added.at(-1)?.key ?? ''}`, old: removedEnd, new: addedEnd });
    removed = [];
    added = [];
    removedEnd = false;
    addedEnd = false;
  };
  let last: LineRow | null = null;
  for (const row of rows) {
    if (row.type === 'noNewline') {
      if (last?.kind === 'removed') removedEnd = true;
      else if (last?.kind === 'added') addedEnd = true;
      else if (last !== null) out.push({ type: 'noNewline', key: `n${last.key}`, old: true, new: true });
      continue;
    }
    last = row;
    if (row.kind === 'context') {
      flush();
      out.push({ type: 'pair', key: `${row.key}|${row.key}`, old: row, new: row });
    } else if (row.kind === 'removed') {
      // A removal after additions starts a new change (git never prints one, but stay aligned).
      if (added.length > 0) flush();
      removed.push(row);
    } else {
      added.push(row);
    }
  }
  flush();
  return out;
}
