/**
 * A diff line cut for drawing: the words that changed (emphasis, UTF-16 offsets) and the
 * syntax classes of its tokens (highlight spans, UTF-8 byte offsets as the core counts them)
 * merged into one segmentation. The view draws each emphasised run as one `<mark>` holding its
 * pieces, and each classed piece as a `<span>`; the pieces joined are the line, unchanged.
 */
import type { HighlightClass, TextRange } from './bindings';

/** A stretch of a line in one syntax class (`null`: plain). */
export interface Piece {
  text: string;
  cls: HighlightClass | null;
}

/** A run of pieces that is all emphasised or all not. */
export interface Run {
  emphasized: boolean;
  pieces: Piece[];
}

/** A highlight span of one line: byte offsets within the line's UTF-8, end exclusive. */
export interface ByteSpan {
  start: number;
  end: number;
  class: HighlightClass;
}

/**
 * UTF-16 offset of each UTF-8 byte offset of `text`, for offsets 0..=byteLength. Offsets
 * inside a character map to its start.
 */
function utf16Offsets(text: string): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let i = 0; i < bytes; i++) offsets.push(at);
    at += char.length;
  }
  offsets.push(at);
  return offsets;
}

/**
 * `text` as runs of emphasis holding pieces of one class each. Ranges outside the text are
 * clamped, overlaps resolved (emphasis ranges merge; of overlapping spans the earlier wins),
 * so bad input never loses or repeats a character. Empty pieces are dropped; an empty text has
 * no runs.
 */
export function lineRuns(text: string, emphasis: readonly TextRange[], spans: readonly ByteSpan[]): Run[] {
  if (text.length === 0) return [];
  const n = text.length;
  const clamp = (x: number) => Math.min(n, Math.max(0, Math.trunc(x)));

  const emphasized = new Uint8Array(n);
  for (const range of emphasis) emphasized.fill(1, clamp(range.start), clamp(range.end));

  const classes: (HighlightClass | null)[] = new Array<HighlightClass | null>(n).fill(null);
  if (spans.length > 0) {
    const offsets = utf16Offsets(text);
    const toUtf16 = (byte: number) => offsets[Math.min(offsets.length - 1, Math.max(0, Math.trunc(byte)))] ?? n;
    for (const span of spans) {
      const start = toUtf16(span.start);
      const end = toUtf16(span.end);
      for (let i = start; i < end; i++) if (classes[i] === null) classes[i] = span.class;
    }
  }

  const runs: Run[] = [];
  let i = 0;
  while (i < n) {
    const mark = emphasized[i] === 1;
    const pieces: Piece[] = [];
    while (i < n && (emphasized[i] === 1) === mark) {
      const cls = classes[i] ?? null;
      let j = i + 1;
      while (j < n && (emphasized[j] === 1) === mark && (classes[j] ?? null) === cls) j++;
      pieces.push({ text: text.slice(i, j), cls });
      i = j;
    }
    runs.push({ emphasized: mark, pieces });
  }
  return runs;
}
