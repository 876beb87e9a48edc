import { describe, expect, it } from 'vitest';
import type { Target, TargetInfo } from './bindings';
import { findTarget, groupTargets, isLiveTarget, sameTarget } from './targetList';

function info(target: Target, spec: string): TargetInfo {
  return { target, spec, title: spec, detail: '', time: null, changedFiles: null, commit: null, upToDateWith: null };
}

const worktree = info({ kind: 'worktree' }, 'worktree');
const staged = info({ kind: 'staged' }, 'staged');
const head = info({ kind: 'commit', rev: 'HEAD' }, 'HEAD');
const older = info({ kind: 'commit', rev: 'a1b2c3d' }, 'a1b2c3d');
const feature = info({ kind: 'branch', name: 'agent/fix' }, 'branch:agent/fix');
const range = info({ kind: 'range', base: 'main', head: 'HEAD', symmetric: true }, 'main...HEAD');

describe('groupTargets', () => {
  it('sections by kind in a fixed order, keeping the given order inside a section', () => {
    const sections = groupTargets([head, feature, worktree, range, older, staged]);
    expect(sections.map((s) => s.id)).toEqual(['changes', 'commits', 'branches', 'ranges']);
    expect(sections.map((s) => s.items.map((i) => i.spec))).toEqual([
      ['worktree', 'staged'],
      ['HEAD', 'a1b2c3d'],
      ['branch:agent/fix'],
      ['main...HEAD'],
    ]);
    expect(sections.map((s) => s.label)).toEqual(['Uncommitted', 'Commits', 'Branches', 'Ranges']);
  });
  it('puts turns of an agent session right after the uncommitted changes', () => {
    const turn = info({ kind: 'turn', session: 'demo', first: 2, last: 2 }, 'turn:2@demo');
    expect(groupTargets([head, turn, worktree]).map((s) => [s.id, s.label])).toEqual([
      ['changes', 'Uncommitted'],
      ['turns', 'Agent turns'],
      ['commits', 'Commits'],
    ]);
  });
  it('leaves out empty sections', () => {
    expect(groupTargets([head]).map((s) => s.id)).toEqual(['commits']);
    expect(groupTargets([])).toEqual([]);
  });
});

describe('sameTarget', () => {
  it('compares by kind and every field', () => {
    expect(sameTarget({ kind: 'worktree' }, { kind: 'worktree' })).toBe(true);
    expect(sameTarget({ kind: 'worktree' }, { kind: 'staged' })).toBe(false);
    expect(sameTarget({ kind: 'commit', rev: 'HEAD' }, { kind: 'commit', rev: 'HEAD' })).toBe(true);
    expect(sameTarget({ kind: 'commit', rev: 'HEAD' }, { kind: 'commit', rev: 'HEAD~1' })).toBe(false);
    expect(sameTarget({ kind: 'branch', name: 'x' }, { kind: 'commit', rev: 'x' })).toBe(false);
    const r: Target = { kind: 'range', base: 'a', head: 'b', symmetric: false };
    expect(sameTarget(r, { ...r })).toBe(true);
    expect(sameTarget(r, { ...r, symmetric: true })).toBe(false);
  });
  it('compares turns by session and both ends', () => {
    const t: Target = { kind: 'turn', session: 'demo', first: 3, last: 3 };
    expect(sameTarget(t, { ...t })).toBe(true);
    expect(sameTarget(t, { ...t, session: null })).toBe(false);
    expect(sameTarget(t, { ...t, first: 2 })).toBe(false);
    expect(sameTarget(t, { ...t, last: null })).toBe(false);
    expect(sameTarget(t, { kind: 'worktree' })).toBe(false);
  });
});

describe('findTarget', () => {
  it('finds the listed entry of a target', () => {
    const targets = [worktree, head, older];
    expect(findTarget(targets, { kind: 'commit', rev: 'HEAD' })).toBe(head);
    expect(findTarget(targets, { kind: 'staged' })).toBeUndefined();
  });
});

describe('live targets', () => {
  it('are those whose new side is the working tree or the index, or follows a name the watcher sees move', () => {
    expect(isLiveTarget({ kind: 'worktree' })).toBe(true);
    expect(isLiveTarget({ kind: 'staged' })).toBe(true);
    expect(isLiveTarget({ kind: 'commit', rev: 'HEAD' })).toBe(true);
    expect(isLiveTarget({ kind: 'branch', name: 'agent/fix' })).toBe(true);
    expect(isLiveTarget({ kind: 'turn', session: null, first: null, last: null })).toBe(true);
    expect(isLiveTarget({ kind: 'range', base: 'main', head: 'a1b2c3d', symmetric: false })).toBe(true);
  });

  it('are not an old commit spelled by its id, a fixed turn, a range of ids, or nothing', () => {
    expect(isLiveTarget({ kind: 'commit', rev: 'e4f5a6b' })).toBe(false);
    expect(isLiveTarget({ kind: 'commit', rev: 'E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B9C0D1E2F3' })).toBe(false);
    expect(isLiveTarget({ kind: 'turn', session: 's1', first: 2, last: 2 })).toBe(false);
    expect(isLiveTarget({ kind: 'range', base: '9c8d7e6', head: 'a1b2c3d', symmetric: false })).toBe(false);
    expect(isLiveTarget(null)).toBe(false);
  });
});
