/**
 * A line's text cut at its emphasis ranges (the words that changed against its paired line), so
 * the diff view can mark them without touching the text: the segments joined are the line.
 */
import type { TextRange } from './bindings';

export interface Segment {
  text: string;
  /** This part changed against the paired line. */
  emphasized: boolean;
}

/**
 * `text` as alternating plain and emphasised segments. The ranges are UTF-16 offsets (what
 * `String.prototype.slice` takes); they are sorted, clamped to the text and merged where they
 * touch or overlap, so bad input never loses or repeats a character. Empty segments are dropped;
 * an empty text has no segments.
 */
export function emphasisSegments(text: string, ranges: readonly TextRange[]): Segment[] {
  const clamp = (n: number) => Math.min(text.length, Math.max(0, Math.trunc(n)));
  const sorted = ranges
    .map((range) => ({ start: clamp(range.start), end: clamp(range.end) }))
    .filter((range) => range.end > range.start)
    .sort((a, b) => a.start - b.start);

  const merged: { start: number; end: number }[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }

  const segments: Segment[] = [];
  let at = 0;
  for (const range of merged) {
    if (range.start > at) segments.push({ text: text.slice(at, range.start), emphasized: false });
    segments.push({ text: text.slice(range.start, range.end), emphasized: true });
    at = range.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), emphasized: false });
  return segments;
}
