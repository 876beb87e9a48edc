/** The target picker's view of a `TargetList`: sections by kind, and finding an entry. */
import type { Target, TargetInfo } from './bindings';

export interface TargetSection {
  id: 'changes' | 'turns' | 'commits' | 'branches' | 'ranges';
  label: string;
  items: TargetInfo[];
}

const SECTION_OF: Record<Target['kind'], TargetSection['id']> = {
  worktree: 'changes',
  staged: 'changes',
  commit: 'commits',
  branch: 'branches',
  range: 'ranges',
  turn: 'turns',
};

const LABELS: Record<TargetSection['id'], string> = {
  changes: 'Uncommitted',
  turns: 'Agent turns',
  commits: 'Commits',
  branches: 'Branches',
  ranges: 'Ranges',
};

const ORDER: TargetSection['id'][] = ['changes', 'turns', 'commits', 'branches', 'ranges'];

/**
 * Groups targets into sections in a fixed order, keeping the order the core gave within each
 * section (it decides what comes first); empty sections are left out.
 */
export function groupTargets(targets: readonly TargetInfo[]): TargetSection[] {
  return ORDER.map((id) => ({
    id,
    label: LABELS[id],
    items: targets.filter((info) => SECTION_OF[info.target.kind] === id),
  })).filter((section) => section.items.length > 0);
}

/** Structural equality of two targets (they arrive as plain JSON objects). */
export function sameTarget(a: Target, b: Target): boolean {
  switch (a.kind) {
    case 'worktree':
    case 'staged':
      return b.kind === a.kind;
    case 'commit':
      return b.kind === 'commit' && b.rev === a.rev;
    case 'branch':
      return b.kind === 'branch' && b.name === a.name;
    case 'range':
      return b.kind === 'range' && b.base === a.base && b.head === a.head && b.symmetric === a.symmetric;
    case 'turn':
      return b.kind === 'turn' && b.session === a.session && b.first === a.first && b.last === a.last;
  }
}

/** The entry of `targets` for `target`, if listed. */
export function findTarget(targets: readonly TargetInfo[], target: Target): TargetInfo | undefined {
  return targets.find((info) => sameTarget(info.target, target));
}

/** A revision spelled as a commit id (4 to 40 hex digits): it names the same commit forever. */
function pinned(rev: string): boolean {
  return /^[0-9a-f]{4,40}$/i.test(rev);
}

/**
 * Whether the review of `target` follows the repository by itself, so the window marks it live:
 * its new side is the working tree or the index; or an agent session's latest turn (`turn` with
 * no last turn named, moved by each snapshot); or a name the watcher sees move (`HEAD`, a
 * branch, `HEAD~2`, a range with such an end), reloaded when HEAD or the branches change. A
 * commit spelled by its id (every older commit of the list) or a fixed turn shows history as it
 * was: nothing reloads it, so it is not live.
 */
export function isLiveTarget(target: Target | null): boolean {
  if (target === null) return false;
  switch (target.kind) {
    case 'worktree':
    case 'staged':
    case 'branch':
      return true;
    case 'turn':
      return target.last === null;
    case 'commit':
      return !pinned(target.rev);
    case 'range':
      return !pinned(target.base) || !pinned(target.head);
  }
}
