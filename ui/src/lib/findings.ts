/**
 * The findings of a review as the window shows them: severities ranked and named, the panel's
 * order (most severe first, then file, then line), counts per severity, and where each finding
 * goes in a file's diff. A finding marks its first line, counted on its own side (new-side line
 * numbers for added code, old-side ones for a deleted test); the lines after it, up to its last,
 * are marked as its continuation.
 */
import type { FileDiff, Finding, FindingSide, Severity, SeverityCounts } from './bindings';
import { lineShown, rowKey } from './notePlaces';
import { displayPath } from './path';

/** Every severity, the most severe first: the order of the panel, its counts and its filter. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** A severity's name, and the letter its marker carries so it is told apart by more than colour. */
export const SEVERITY_VIEW: Readonly<Record<Severity, { label: string; letter: string }>> = {
  critical: { label: 'Critical', letter: 'C' },
  high: { label: 'High', letter: 'H' },
  medium: { label: 'Medium', letter: 'M' },
  low: { label: 'Low', letter: 'L' },
};

/** 0 for critical up to 3 for low: sorting by it puts the most severe first. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The most severe of `severities`; `null` when there are none. */
export function mostSevere(severities: Iterable<Severity>): Severity | null {
  let best: Severity | null = null;
  for (const severity of severities) if (best === null || severityRank(severity) < severityRank(best)) best = severity;
  return best;
}

export function countSeverities(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

export function totalOf(counts: SeverityCounts): number {
  return counts.critical + counts.high + counts.medium + counts.low;
}

/** The most severe severity with a count; `null` when every count is zero. */
export function highestIn(counts: SeverityCounts): Severity | null {
  return SEVERITIES.find((severity) => counts[severity] > 0) ?? null;
}

/**
 * The panel's order: most severe first, then by file in the review's order (`filePaths`, display
 * paths; a path not in it after those, by name), then by line, column and rule.
 */
export function sortFindings(findings: readonly Finding[], filePaths: readonly string[] = []): Finding[] {
  const position = new Map(filePaths.map((path, index) => [path, index]));
  const fileRank = (path: string) => position.get(path) ?? filePaths.length;
  return [...findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      fileRank(a.path) - fileRank(b.path) ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.line - b.line ||
      (a.column ?? 0) - (b.column ?? 0) ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}

/** Only the findings of the chosen severities; all of them when none is chosen. */
export function filterBySeverity(findings: readonly Finding[], chosen: ReadonlySet<Severity>): Finding[] {
  return chosen.size === 0 ? [...findings] : findings.filter((finding) => chosen.has(finding.severity));
}

/** A line of a file on one side: where a marker sits and an explanation opens. */
export interface FindingLine {
  /** The file's display path, as findings name it. */
  path: string;
  side: FindingSide;
  line: number;
}

export function sameLine(a: FindingLine | null, b: FindingLine | null): boolean {
  return a !== null && b !== null && a.path === b.path && a.side === b.side && a.line === b.line;
}

/** Where a finding starts. */
export function lineOf(finding: Finding): FindingLine {
  return { path: finding.path, side: finding.side, line: finding.line };
}

/** "High: sql-formatting", and each further finding of the line after a comma. */
export function markerLabel(findings: readonly Finding[]): string {
  return findings.map((finding) => `${SEVERITY_VIEW[finding.severity].label}: ${finding.rule}`).join(', ');
}

/** `path:line`, or `path:line–end` for a finding over several lines (old-side lines say so). */
export function whereOf(finding: Finding): string {
  const lines = finding.endLine > finding.line ? `${finding.line}–${finding.endLine}` : `${finding.line}`;
  return `${finding.path}:${lines}${finding.side === 'old' ? ' (removed)' : ''}`;
}

/** The findings of one file, placed on its diff's rows. */
export interface FindingPlaces {
  /** By the row key of their first line (`new:12`), the most severe first. */
  byRow: ReadonlyMap<string, Finding[]>;
  /** Rows inside a finding's range after its first line, with the most severe such finding. */
  continued: ReadonlyMap<string, Severity>;
  /** Findings of this file whose first line the diff does not show (e.g. about the whole file). */
  offscreen: Finding[];
}

/**
 * Sorts the findings of `file` (those naming its display path) onto the rows of its diff. A row
 * takes the findings of its side: added and context lines the new side's, removed and context
 * lines the old side's.
 */
export function placeFindings(file: Pick<FileDiff, 'oldPath' | 'newPath' | 'hunks'>, findings: readonly Finding[]): FindingPlaces {
  const path = displayPath(file);
  const byRow = new Map<string, Finding[]>();
  const continued = new Map<string, Severity>();
  const offscreen: Finding[] = [];
  for (const finding of sortFindings(findings.filter((f) => f.path === path))) {
    const key = rowKey(finding.side, finding.line);
    if (!lineShown(file.hunks, finding.side, finding.line)) {
      offscreen.push(finding);
      continue;
    }
    const list = byRow.get(key);
    if (list === undefined) byRow.set(key, [finding]);
    else list.push(finding);
    for (let line = finding.line + 1; line <= finding.endLine; line++) {
      const next = rowKey(finding.side, line);
      const before = continued.get(next);
      if (before === undefined || severityRank(finding.severity) < severityRank(before)) continued.set(next, finding.severity);
    }
  }
  return { byRow, continued, offscreen };
}

/** A piece of a rule's text: plain, or code it quotes between backticks. */
export interface TextPiece {
  text: string;
  code: boolean;
}

/**
 * Cuts a message, teaching text or fix hint at its backticks, so quoted code can be shown as
 * code; an unpaired backtick is kept as text.
 */
export function codePieces(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf('`');
    const close = open < 0 ? -1 : rest.indexOf('`', open + 1);
    if (close < 0) break;
    if (open > 0) pieces.push({ text: rest.slice(0, open), code: false });
    if (close > open + 1) pieces.push({ text: rest.slice(open + 1, close), code: true });
    rest = rest.slice(close + 1);
  }
  if (rest !== '') pieces.push({ text: rest, code: false });
  return pieces;
}
