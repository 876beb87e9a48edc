/**
 * Fuzzy matching for the command palette: the query's characters must appear in the text in
 * order (a subsequence, case-insensitive); among the ways they can, the best scored is kept.
 * Matches at word starts (after a space, `/`, `-`, `_`, `.`, `:`, `~`, or a lower-to-upper case
 * change) and contiguous runs score highest, gaps cost a little, an early first match and a
 * short text break ties. `nf` finds "Next file" before "coNFig", `srv` finds "src/server.rs".
 */

export interface FuzzyMatch {
  score: number;
  /** The UTF-16 indices of the matched characters in the text, ascending. */
  positions: number[];
}

const MATCH = 1;
const TEXT_START = 10;
const WORD_START = 8;
const RUN = 6;
const GAP_START = 3;
const GAP_EXTEND = 0.2;
const LEADING = 0.05;
const LENGTH = 0.01;

const SEPARATORS = new Set([' ', '/', '\\', '-', '_', '.', ':', '~', '^', '@', '(', '[', ',', '·', '\t']);

/** The bonus for matching at `index`: the start of the text or of a word. */
function startBonus(text: string, index: number): number {
  if (index === 0) return TEXT_START;
  const before = text.charAt(index - 1);
  const at = text.charAt(index);
  if (SEPARATORS.has(before)) return WORD_START;
  const lowerBefore = before !== before.toUpperCase() && before === before.toLowerCase();
  const upperAt = at !== at.toLowerCase() && at === at.toUpperCase();
  return lowerBefore && upperAt ? WORD_START : 0;
}

/**
 * The best match of `query` in `text`, or `null` when its characters are not all there in
 * order. An empty (or all-space) query matches everything with score 0. Spaces in the query
 * match anything (they separate words the reviewer typed).
 */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const needle = [...query.toLowerCase()].filter((c) => c !== ' ').join('');
  if (needle.length === 0) return { score: 0, positions: [] };
  const hay = text.toLowerCase();
  const m = needle.length;
  const n = hay.length;
  // Only lengths that lower-case to themselves keep indices aligned; otherwise match exactly.
  if (m > n) return null;
  if (hay.length !== text.length) return exactFallback(needle, text);
  const bonus = Array.from({ length: n }, (_, j) => startBonus(text, j));
  // score[i][j]: the best score with needle[i] matched at hay[j] (-Infinity: impossible);
  // run[i][j]: whether that best came from needle[i-1] matched at j-1.
  const score: Float64Array[] = [];
  const run: Uint8Array[] = [];
  for (let i = 0; i < m; i++) {
    const row = new Float64Array(n).fill(-Infinity);
    const fromRun = new Uint8Array(n);
    const prev = i === 0 ? null : score[i - 1]!;
    // The best of prev[k] - gap cost, over k < j - 1, kept as j advances.
    let gapBest = -Infinity;
    for (let j = i; j < n; j++) {
      if (prev !== null && j >= 2) gapBest = Math.max(gapBest - GAP_EXTEND, prev[j - 2]! - GAP_START);
      if (hay[j] !== needle[i]) continue;
      const here = MATCH + bonus[j]!;
      if (prev === null) {
        row[j] = here - LEADING * j;
        continue;
      }
      const viaRun = prev[j - 1]! + RUN;
      const best = Math.max(viaRun, gapBest);
      if (best === -Infinity) continue;
      row[j] = here + best;
      if (viaRun >= gapBest) fromRun[j] = 1;
    }
    score.push(row);
    run.push(fromRun);
  }
  const last = score[m - 1]!;
  let end = -1;
  for (let j = 0; j < n; j++) if (last[j]! > -Infinity && (end < 0 || last[j]! > last[end]!)) end = j;
  if (end < 0) return null;
  const positions = backtrack(score, run, end);
  return { score: last[end]! - LENGTH * n, positions };
}

/** The positions of the best path ending with the last query character at `end`. */
function backtrack(score: Float64Array[], run: Uint8Array[], end: number): number[] {
  const positions: number[] = [];
  let j = end;
  for (let i = score.length - 1; i >= 0; i--) {
    positions.push(j);
    if (i === 0) break;
    if (run[i]![j] === 1) {
      j -= 1;
      continue;
    }
    // The gap's origin: the k < j - 1 that gave the best gapped score.
    const prev = score[i - 1]!;
    let best = -1;
    let bestValue = -Infinity;
    for (let k = 0; k < j - 1; k++) {
      const value = prev[k]! - GAP_START - GAP_EXTEND * (j - 2 - k);
      if (value > bestValue) {
        bestValue = value;
        best = k;
      }
    }
    j = best;
  }
  return positions.reverse();
}

/** For texts whose lower case changes length (rare scripts): a plain left-to-right match. */
function exactFallback(needle: string, text: string): FuzzyMatch | null {
  const positions: number[] = [];
  let from = 0;
  for (const c of needle) {
    let found = -1;
    for (let j = from; j < text.length; j++) {
      if (text.charAt(j).toLowerCase() === c) {
        found = j;
        break;
      }
    }
    if (found < 0) return null;
    positions.push(found);
    from = found + 1;
  }
  return { score: positions.length * MATCH - LENGTH * text.length, positions };
}

/** `text` cut into runs of matched and unmatched characters, for highlighting. */
export function matchRuns(text: string, positions: readonly number[]): { text: string; hit: boolean }[] {
  const hits = new Set(positions);
  const runs: { text: string; hit: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const hit = hits.has(i);
    const last = runs.at(-1);
    if (last !== undefined && last.hit === hit) last.text += text.charAt(i);
    else runs.push({ text: text.charAt(i), hit });
  }
  return runs;
}
