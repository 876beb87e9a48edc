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

/** The rows of one hunk, in order: each line, followed by a marker row where the line has no newline. */
export function hunkRows(hunk: Pick<Hunk, 'lines'>): DiffRow[] {
  const rows: DiffRow[] = [];
  hunk.lines.forEach((line, index) => {
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
  });
  return rows;
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
