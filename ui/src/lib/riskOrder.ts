/**
 * The file list's order: the review's (git's path order) or by risk, the riskiest file first,
 * as the reviewer chose it (kept across restarts); and the badge of a file with findings.
 */
import type { FileDiff, FileRisk, Severity } from './bindings';
import { highestIn, totalOf } from './findings';
import { displayPath } from './path';

export type FileOrder = 'path' | 'risk';

/** Where the chosen order is kept (localStorage). */
export const FILE_ORDER_KEY = 'redline.fileOrder';

/** The stored order, `path` for anything else (nothing stored, an older or foreign value). */
export function parseFileOrder(stored: string | null): FileOrder {
  return stored === 'risk' ? 'risk' : 'path';
}

/**
 * The indices of `files` in the order the list shows them. By risk: highest `FileRisk.score`
 * first, files without a score (or before the scores arrived) as zero, ties in the review's order.
 */
export function fileOrder(files: readonly FileDiff[], risks: readonly FileRisk[] | null, order: FileOrder): number[] {
  const indices = files.map((_, index) => index);
  if (order === 'path' || risks === null) return indices;
  const scores = new Map(risks.map((risk) => [risk.path, risk.score]));
  const scoreOf = (index: number) => scores.get(displayPath(files[index]!)) ?? 0;
  return indices.sort((a, b) => scoreOf(b) - scoreOf(a) || a - b);
}

/** How many findings a file has and the most severe of them. */
export interface FileBadge {
  count: number;
  severity: Severity;
}

/** The badge of each file with findings, by display path. */
export function fileBadges(risks: readonly FileRisk[] | null): Map<string, FileBadge> {
  const badges = new Map<string, FileBadge>();
  for (const risk of risks ?? []) {
    const severity = highestIn(risk.counts);
    if (severity !== null) badges.set(risk.path, { count: totalOf(risk.counts), severity });
  }
  return badges;
}
