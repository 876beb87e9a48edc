import { describe, expect, it } from 'vitest';
import type { Target, TargetInfo } from './bindings';
import { continues, hasMore, nextAnchor, oldestCommit, withOlder, type OlderCommits } from './olderCommits';

function entry(target: Target, spec: string, commit: string | null = null): TargetInfo {
  return { target, spec, title: spec, detail: '', time: null, changedFiles: null, commit, upToDateWith: null };
}
const commit = (id: string) => entry({ kind: 'commit', rev: id.slice(0, 7) }, id.slice(0, 7), id);

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const D = 'd'.repeat(40);
const list = [entry({ kind: 'worktree' }, 'worktree'), commit(A), commit(B), entry({ kind: 'branch', name: 'x' }, 'branch:x', 'e'.repeat(40))];
const pages: OlderCommits = { anchor: B, targets: [commit(C), commit(D)], more: true };

describe('older commits', () => {
  it('start after the oldest commit the list shows, then after the last page', () => {
    expect(oldestCommit(list)).toBe(B);
    expect(nextAnchor(list, null)).toBe(B);
    expect(nextAnchor(list, pages)).toBe(D);
  });

  it('are listed after the commits, before the branches', () => {
    expect(withOlder(list, pages).map((t) => t.spec)).toEqual(['worktree', 'aaaaaaa', 'bbbbbbb', 'ccccccc', 'ddddddd', 'branch:x']);
    expect(withOlder(list, null).map((t) => t.spec)).toEqual(['worktree', 'aaaaaaa', 'bbbbbbb', 'branch:x']);
  });

  it('are dropped once HEAD moved (the list ends on another commit) and asked for again from there', () => {
    const moved = [commit('f'.repeat(40)), commit(A)];
    expect(continues(moved, pages)).toBe(false);
    expect(withOlder(moved, pages).map((t) => t.spec)).toEqual(['fffffff', 'aaaaaaa']);
    expect(nextAnchor(moved, pages)).toBe(A);
    expect(hasMore(true, moved, pages)).toBe(true);
  });

  it('go on while the core says so', () => {
    expect(hasMore(false, list, null)).toBe(false);
    expect(hasMore(true, list, null)).toBe(true);
    expect(hasMore(true, list, { ...pages, more: false })).toBe(false);
  });
});
