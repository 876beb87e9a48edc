/**
 * A diff line cut for drawing: its changed-word segments (from `emphasisSegments`) cut again at
 * the syntax classes of its tokens (highlight spans, UTF-8 byte offsets as the core counts
 * them). The view draws each emphasised run as one `<mark>` holding its pieces, and each classed
 * piece as a `<span>`; the pieces joined are the line, unchanged.
 */
import type { HighlightClass } from './bindings';
import type { Segment } from './emphasis';

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
 * `text` as runs of emphasis (one per segment of `emphasis`, which rejoins to `text`; none: one
 * plain run) holding pieces of one class each. Spans outside the text are clamped and of
 * overlapping spans the earlier wins, so bad input never loses or repeats a character. Empty
 * pieces are dropped; an empty text has no runs.
 */
export function lineRuns(text: string, emphasis: readonly Segment[], spans: readonly ByteSpan[]): Run[] {
  if (text.length === 0) return [];
  // The common case of a long file before its colours arrive: one plain piece, no per-character work.
  if (spans.length === 0 && emphasis.length === 0) return [{ emphasized: false, pieces: [{ text, cls: null }] }];
  const n = text.length;
  const classes: (HighlightClass | null)[] = new Array<HighlightClass | null>(n).fill(null);
  if (spans.length > 0) {
    const offsets = utf16Offsets(text);
    const toUtf16 = (byte: number) => offsets[Math.min(offsets.length - 1, Math.max(0, Math.trunc(byte)))] ?? n;
    for (const span of spans) {
      const end = toUtf16(span.end);
      for (let i = toUtf16(span.start); i < end; i++) if (classes[i] === null) classes[i] = span.class;
    }
  }

  const segments = emphasis.length > 0 ? emphasis : [{ text, emphasized: false }];
  const runs: Run[] = [];
  let at = 0;
  for (const segment of segments) {
    const end = Math.min(n, at + segment.text.length);
    const pieces: Piece[] = [];
    let i = at;
    while (i < end) {
      const cls = classes[i] ?? null;
      let j = i + 1;
      while (j < end && (classes[j] ?? null) === cls) j++;
      pieces.push({ text: text.slice(i, j), cls });
      i = j;
    }
    if (pieces.length > 0) runs.push({ emphasized: segment.emphasized, pieces });
    at = end;
  }
  return runs;
}
