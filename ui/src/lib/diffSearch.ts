/**
 * Search in the diff (`Ctrl+F`): the query compiled once, the matches of a line's text as
 * UTF-16 ranges (what `String.prototype.slice` takes, like the emphasis ranges), every match of a
 * file in reading order, and a line's runs (from `lineRuns`) cut once more at its matches so the
 * view can mark them inside the changed-word marks and around the syntax spans. Pure: the view
 * draws what comes out; the pieces joined are always the line, unchanged.
 */
import type { Hunk } from './bindings';
import type { Piece, Run } from './lineRuns';

export interface SearchOptions {
  query: string;
  caseSensitive: boolean;
  /** The query is a regular expression; otherwise it is matched literally. */
  regex: boolean;
}

/** A compiled query: a global regular expression, or why the query cannot be searched for. */
export type Matcher = { ok: true; pattern: RegExp } | { ok: false; error: string } | null;

/** A match within one line: UTF-16 offsets, end exclusive. */
export interface MatchRange {
  start: number;
  end: number;
}

/**
 * A match in the files searched: the file (its index in the review), the hunk, the line within
 * the hunk (`hunk.lines` index) and its range.
 */
export interface FileMatch extends MatchRange {
  file: number;
  hunk: number;
  line: number;
}

/** How many matches are looked for at most, so a one-letter query on a huge file stays quick. */
export const MAX_MATCHES = 10_000;

/** `text` with every character a regular expression gives a meaning to escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The query compiled: `null` when it is empty (nothing to find), an error when the regular
 * expression is not valid. Literal queries are escaped first, so `a.b` finds only `a.b`. Unicode
 * mode where the pattern allows it (a match never splits a surrogate pair); a regular expression
 * that is only valid without it (`\-`) is taken as the browser would take it.
 */
export function compileSearch(options: SearchOptions): Matcher {
  if (options.query.length === 0) return null;
  const source = options.regex ? options.query : escapeRegExp(options.query);
  const flags = options.caseSensitive ? 'g' : 'gi';
  try {
    return { ok: true, pattern: new RegExp(source, `${flags}u`) };
  } catch {
    try {
      return { ok: true, pattern: new RegExp(source, flags) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
}

/**
 * The matches of `pattern` in `text`, in order, not overlapping; empty matches (`^`, `x*`) are
 * skipped. At most `limit` of them.
 */
export function findInLine(text: string, pattern: RegExp, limit = MAX_MATCHES): MatchRange[] {
  const ranges: MatchRange[] = [];
  if (text.length === 0 || limit <= 0) return ranges;
  const global = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
  global.lastIndex = 0;
  while (ranges.length < limit) {
    const found = global.exec(text);
    if (found === null) break;
    const start = found.index;
    const end = start + found[0].length;
    if (end > start) {
      ranges.push({ start, end });
    } else {
      // Step past the empty match (past a whole character in Unicode mode).
      const code = text.codePointAt(start) ?? 0;
      global.lastIndex = start + (global.unicode && code > 0xffff ? 2 : 1);
    }
    if (global.lastIndex > text.length) break;
  }
  return ranges;
}

/** Every match in the hunks of file `file`, in reading order (hunk by hunk, line by line), at most `limit`. */
export function findInHunks(hunks: readonly Pick<Hunk, 'lines'>[], pattern: RegExp, limit = MAX_MATCHES, file = 0): FileMatch[] {
  const matches: FileMatch[] = [];
  hunks.forEach((hunk, h) => {
    hunk.lines.forEach((line, l) => {
      if (matches.length >= limit) return;
      for (const range of findInLine(line.text, pattern, limit - matches.length)) matches.push({ file, hunk: h, line: l, ...range });
    });
  });
  return matches;
}

/** Every match in `files` (an index and hunks each), file by file in the order given, at most `limit`. */
export function findInFiles(files: readonly { index: number; hunks: readonly Pick<Hunk, 'lines'>[] }[], pattern: RegExp, limit = MAX_MATCHES): FileMatch[] {
  const matches: FileMatch[] = [];
  for (const file of files) {
    if (matches.length >= limit) break;
    matches.push(...findInHunks(file.hunks, pattern, limit - matches.length, file.index));
  }
  return matches;
}

/** A line's matches, and the number of the first of them among the file's. */
export interface LineMatches {
  first: number;
  ranges: MatchRange[];
}

/**
 * The matches in file `file` grouped by line, keyed `hunk:line`, for drawing each row; numbered
 * among all of `matches`.
 */
export function matchesByLine(matches: readonly FileMatch[], file = 0): Map<string, LineMatches> {
  const byLine = new Map<string, LineMatches>();
  matches.forEach((match, index) => {
    if (match.file !== file) return;
    const key = `${match.hunk}:${match.line}`;
    const entry = byLine.get(key);
    if (entry === undefined) byLine.set(key, { first: index, ranges: [{ start: match.start, end: match.end }] });
    else entry.ranges.push({ start: match.start, end: match.end });
  });
  return byLine;
}

/** A piece of a line, in one syntax class, inside one match (`hit`: its number) or none. */
export interface HitPiece extends Piece {
  hit: number | null;
}

export interface HitRun {
  emphasized: boolean;
  pieces: HitPiece[];
}

/**
 * `runs` (a line cut at its changed words and syntax classes, see `lineRuns`) cut once more at
 * `ranges` (sorted, not overlapping UTF-16 ranges of the same line); each piece inside a match
 * carries the match's number, `first` for the line's first. The pieces joined are the line.
 */
export function searchRuns(runs: readonly Run[], ranges: readonly MatchRange[], first = 0): HitRun[] {
  if (ranges.length === 0) return runs.map((run) => ({ emphasized: run.emphasized, pieces: run.pieces.map((piece) => ({ ...piece, hit: null })) }));
  const out: HitRun[] = [];
  let at = 0;
  let r = 0;
  for (const run of runs) {
    const pieces: HitPiece[] = [];
    for (const piece of run.pieces) {
      const end = at + piece.text.length;
      let i = at;
      while (i < end) {
        while (r < ranges.length && ranges[r]!.end <= i) r++;
        const range = ranges[r];
        let j: number;
        let hit: number | null;
        if (range === undefined || range.start >= end) {
          j = end;
          hit = null;
        } else if (range.start > i) {
          j = range.start;
          hit = null;
        } else {
          j = Math.min(end, range.end);
          hit = first + r;
        }
        pieces.push({ text: piece.text.slice(i - at, j - at), cls: piece.cls, hit });
        i = j;
      }
      at = end;
    }
    out.push({ emphasized: run.emphasized, pieces });
  }
  return out;
}

/** "3 of 12", "No results", "12 of 10000+" where the search stopped. */
export function matchCount(current: number | null, total: number, limit = MAX_MATCHES): string {
  if (total === 0) return 'No results';
  const of = total >= limit ? `${limit}+` : String(total);
  return current === null ? `${of} ${total === 1 ? 'result' : 'results'}` : `${current + 1} of ${of}`;
}

/** The next match from `current` by `delta`, wrapping around; the first (or last) when none is current. */
export function stepMatch(current: number | null, total: number, delta: 1 | -1): number | null {
  if (total === 0) return null;
  if (current === null) return delta === 1 ? 0 : total - 1;
  return (((current + delta) % total) + total) % total;
}
