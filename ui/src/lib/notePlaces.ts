/**
 * Where notes go in a file's diff. The core places each thread on the code as it is now
 * (`Placement`); this only finds the row that shows the placed line: a thread sits under the
 * line its range ends on, counted on the side it was written on (new-side line numbers for a
 * note on the new code, old-side ones for a note on removed code).
 */
import type { AnchorSide, FileDiff, Hunk, PlacedThread, Placement } from './bindings';

/** Lines of one side of one file, 1-based and inclusive. */
export interface LinePlace {
  path: string;
  side: AnchorSide;
  startLine: number;
  endLine: number;
}

/** The file and lines a placement points at; `null` for an outdated note (its code is gone). */
export function placedLines(placement: Placement): { path: string; startLine: number; endLine: number } | null {
  if (placement.state === 'outdated') return null;
  return { path: placement.path, startLine: placement.startLine, endLine: placement.endLine };
}

/** Where a placed thread is now, on its anchor's side; `null` when outdated. */
export function threadPlace(placed: PlacedThread): LinePlace | null {
  const lines = placedLines(placed.placement);
  return lines === null ? null : { ...lines, side: placed.thread.anchor.side };
}

/** The path `file` has on `side` (`null` where the file does not exist on it). */
export function sidePath(file: Pick<FileDiff, 'oldPath' | 'newPath'>, side: AnchorSide): string | null {
  return side === 'new' ? file.newPath : file.oldPath;
}

/** The key of a line row: `new:12`, `old:7`. A context line answers to both of its numbers. */
export function rowKey(side: AnchorSide, line: number): string {
  return `${side}:${line}`;
}

/** The row keys one diff line answers to. */
export function rowKeysOf(line: { kind: 'context' | 'added' | 'removed'; oldLine: number | null; newLine: number | null }): string[] {
  const keys: string[] = [];
  if (line.kind !== 'added' && line.oldLine !== null) keys.push(rowKey('old', line.oldLine));
  if (line.kind !== 'removed' && line.newLine !== null) keys.push(rowKey('new', line.newLine));
  return keys;
}

/**
 * Some hunk shows line `line` of `side`. A hunk shows a contiguous run of each side's lines (its
 * header's ranges), so this looks at the hunks, not at every line: a 20,000-line diff answers
 * as fast as a short one.
 */
export function lineShown(hunks: readonly Pick<Hunk, 'oldStart' | 'oldLines' | 'newStart' | 'newLines'>[], side: AnchorSide, line: number): boolean {
  return hunks.some((hunk) => {
    const start = side === 'new' ? hunk.newStart : hunk.oldStart;
    const count = side === 'new' ? hunk.newLines : hunk.oldLines;
    return line >= start && line < start + count;
  });
}

/** Items of one file: under a shown line, or on a line of the file the diff does not show. */
export interface FilePlaces<T> {
  /** By row key (see `rowKey`), in the order the items came. */
  byRow: ReadonlyMap<string, T[]>;
  /** In this file, on lines no hunk shows (or the file shows no hunks). */
  offscreen: T[];
}

/**
 * Sorts `items` of `file` onto its rows by where each ends (`placeOf`); items whose place is
 * in another file (or `null`) are left out. A row shows an item when it is a line of the
 * item's side with the item's end line: added and context lines for the new side, removed and
 * context lines for the old side.
 */
export function placeOnRows<T>(file: Pick<FileDiff, 'oldPath' | 'newPath' | 'hunks'>, items: readonly T[], placeOf: (item: T) => LinePlace | null): FilePlaces<T> {
  const byRow = new Map<string, T[]>();
  const offscreen: T[] = [];
  for (const item of items) {
    const place = placeOf(item);
    if (place === null || sidePath(file, place.side) !== place.path) continue;
    const key = rowKey(place.side, place.endLine);
    if (!lineShown(file.hunks, place.side, place.endLine)) {
      offscreen.push(item);
      continue;
    }
    const list = byRow.get(key);
    if (list === undefined) byRow.set(key, [item]);
    else list.push(item);
  }
  return { byRow, offscreen };
}

/**
 * The outdated threads of `file`: those whose code could not be found, written on this file
 * (on the side they were written on).
 */
export function outdatedIn(file: Pick<FileDiff, 'oldPath' | 'newPath'>, threads: readonly PlacedThread[]): PlacedThread[] {
  return threads.filter((t) => t.placement.state === 'outdated' && sidePath(file, t.thread.anchor.side) === t.thread.anchor.path);
}

/**
 * Where `c` writes on a hunk: its last added line on the new side, or, for a hunk that only
 * removes lines, its last removed line on the old side. `null` for a hunk without changes.
 */
export function hunkNotePlace(path: { oldPath: string | null; newPath: string | null }, hunk: Pick<Hunk, 'lines'>): LinePlace | null {
  let added: number | null = null;
  let removed: number | null = null;
  for (const line of hunk.lines) {
    if (line.kind === 'added' && line.newLine !== null) added = line.newLine;
    if (line.kind === 'removed' && line.oldLine !== null) removed = line.oldLine;
  }
  if (added !== null && path.newPath !== null) return { path: path.newPath, side: 'new', startLine: added, endLine: added };
  if (removed !== null && path.oldPath !== null) return { path: path.oldPath, side: 'old', startLine: removed, endLine: removed };
  return null;
}

/** The draft key of a new thread on `place`, as the core spells it: `new:PATH:SIDE:START-END`. */
export function newThreadKey(place: LinePlace): string {
  return `new:${place.path}:${place.side}:${place.startLine}-${place.endLine}`;
}

/** The draft key of a reply to thread `threadId`. */
export function replyKey(threadId: string): string {
  return `reply:${threadId}`;
}

/**
 * The lines selected by clicking line numbers: a click selects one line; a shift-click on the
 * same side of the same file extends the selection to take in the clicked line (above or
 * below); anything else starts again at the clicked line.
 */
export function selectLines(current: LinePlace | null, path: string, side: AnchorSide, line: number, extend: boolean): LinePlace {
  if (extend && current !== null && current.path === path && current.side === side) {
    return { path, side, startLine: Math.min(current.startLine, line), endLine: Math.max(current.endLine, line) };
  }
  return { path, side, startLine: line, endLine: line };
}

/** The selection covers this row's line (on the selection's side). */
export function isSelected(selection: LinePlace | null, path: string, line: { kind: 'context' | 'added' | 'removed'; oldLine: number | null; newLine: number | null }): boolean {
  if (selection === null || selection.path !== path) return false;
  const number = selection.side === 'new' ? (line.kind === 'removed' ? null : line.newLine) : line.kind === 'added' ? null : line.oldLine;
  return number !== null && number >= selection.startLine && number <= selection.endLine;
}
