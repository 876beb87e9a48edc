/**
 * "Show older commits": pages of HEAD's history past the commits the target list gives, kept
 * while the list still ends where the pages start (the working tree changing reloads the list
 * but not its history); when HEAD moves, the list's commits shift and the pages are dropped.
 */
import type { TargetInfo } from './bindings';

/** The pages shown so far: the commit they start after, their entries, whether more follow. */
export interface OlderCommits {
  /** The full id of the list's oldest commit when the first page was asked for. */
  anchor: string;
  targets: TargetInfo[];
  more: boolean;
}

/** The full id of the oldest commit `targets` lists, if any. */
export function oldestCommit(targets: readonly TargetInfo[]): string | null {
  for (let index = targets.length - 1; index >= 0; index--) {
    const info = targets[index];
    if (info !== undefined && info.target.kind === 'commit' && info.commit !== null) return info.commit;
  }
  return null;
}

/** Whether `older` still continues `targets` (its first page starts after their oldest commit). */
export function continues(targets: readonly TargetInfo[], older: OlderCommits | null): older is OlderCommits {
  return older !== null && oldestCommit(targets) === older.anchor;
}

/** The commit the next page starts after: the last one shown. */
export function nextAnchor(targets: readonly TargetInfo[], older: OlderCommits | null): string | null {
  return continues(targets, older) ? (oldestCommit(older.targets) ?? older.anchor) : oldestCommit(targets);
}

/** `targets` with the older commits placed after the last commit entry (before the branches). */
export function withOlder(targets: readonly TargetInfo[], older: OlderCommits | null): TargetInfo[] {
  if (!continues(targets, older) || older.targets.length === 0) return [...targets];
  let last = -1;
  targets.forEach((info, index) => {
    if (info.target.kind === 'commit') last = index;
  });
  return [...targets.slice(0, last + 1), ...older.targets, ...targets.slice(last + 1)];
}

/** Whether more history can be asked for: past the pages if there are some, else past the list. */
export function hasMore(olderInList: boolean, targets: readonly TargetInfo[], older: OlderCommits | null): boolean {
  return continues(targets, older) ? older.more : olderInList;
}
