import { describe, expect, it } from 'vitest';
import type { Target, WatchEvent } from './bindings';
import { changeSummary, liveStatus, mergeEvents, refreshFor } from './liveRefresh';

const quiet: WatchEvent = { worktree: false, index: false, head: false, refs: false, paths: [], changed: 0 };
const files = (...paths: string[]): WatchEvent => ({ ...quiet, worktree: true, paths, changed: paths.length });
const index: WatchEvent = { ...quiet, index: true };
const head: WatchEvent = { ...quiet, head: true };
const refs: WatchEvent = { ...quiet, refs: true };

const worktree: Target = { kind: 'worktree' };
const staged: Target = { kind: 'staged' };
const pinned: Target[] = [
  { kind: 'commit', rev: 'HEAD' },
  { kind: 'range', base: 'main', head: 'agent/x', symmetric: true },
  { kind: 'branch', name: 'agent/x' },
];

describe('refreshFor', () => {
  it('reloads the working tree for any change: files, index, HEAD or refs', () => {
    for (const event of [files('a.rs'), index, head, refs]) {
      expect(refreshFor(worktree, event)).toEqual({ review: true, targets: true });
    }
  });
  it('reloads the index for the index, HEAD and refs, not for file edits', () => {
    expect(refreshFor(staged, files('a.rs')).review).toBe(false);
    for (const event of [index, head, refs]) expect(refreshFor(staged, event).review).toBe(true);
  });
  it('reloads commits, ranges and branches only when HEAD or a ref moves', () => {
    for (const target of pinned) {
      expect(refreshFor(target, files('a.rs')).review).toBe(false);
      expect(refreshFor(target, index).review).toBe(false);
      expect(refreshFor(target, head).review).toBe(true);
      expect(refreshFor(target, refs).review).toBe(true);
    }
  });
  it('reloads a turn only when a ref moves (a new snapshot), not for file edits', () => {
    const turn: Target = { kind: 'turn', session: null, first: null, last: null };
    expect(refreshFor(turn, files('a.rs')).review).toBe(false);
    expect(refreshFor(turn, index).review).toBe(false);
    expect(refreshFor(turn, refs).review).toBe(true);
  });
  it('reloads the target list for every change, since it counts the files of the working tree and index', () => {
    for (const target of [worktree, staged, ...pinned]) {
      for (const event of [files('a.rs'), index, head, refs]) expect(refreshFor(target, event).targets).toBe(true);
    }
  });
  it('reloads nothing for an event that names no change', () => {
    expect(refreshFor(worktree, quiet)).toEqual({ review: false, targets: false });
  });
});

describe('mergeEvents', () => {
  it('adds up the flags and counts a file seen twice once', () => {
    const merged = mergeEvents({ ...files('b.rs', 'a.rs'), head: true }, { ...files('b.rs', 'c.rs'), index: true });
    expect(merged).toEqual({ worktree: true, index: true, head: true, refs: false, paths: ['a.rs', 'b.rs', 'c.rs'], changed: 3 });
  });
  it('sums the counts when a sample is cut short, and keeps the sample bounded', () => {
    const many = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, '0')}.rs`);
    const merged = mergeEvents({ ...files(...many), changed: 500 }, files('zz.rs'));
    expect(merged.changed).toBe(501);
    expect(merged.paths).toHaveLength(20);
  });
  it('leaves an event unchanged when merged with one that names nothing', () => {
    expect(mergeEvents(files('a.rs'), quiet)).toEqual(files('a.rs'));
  });
});

describe('changeSummary and liveStatus', () => {
  const at = Date.UTC(2024, 5, 15, 12, 0, 0);
  it('names files first, then HEAD, refs, the index', () => {
    expect(changeSummary(files('a.rs'))).toBe('1 file changed');
    expect(changeSummary({ ...files('a.rs', 'b.rs'), head: true })).toBe('2 files changed');
    expect(changeSummary(head)).toBe('HEAD moved');
    expect(changeSummary(refs)).toBe('branches updated');
    expect(changeSummary(index)).toBe('index updated');
    expect(changeSummary(quiet)).toBeNull();
  });
  it('says when the window last updated, and for what', () => {
    expect(liveStatus({ at, event: files('a.rs', 'b.rs', 'c.rs') }, at + 5_000)).toBe('Updated just now · 3 files changed');
    expect(liveStatus({ at, event: head }, at + 5 * 60_000)).toBe('Updated 5 min ago · HEAD moved');
    expect(liveStatus({ at, event: quiet }, at)).toBe('Updated just now');
  });
});
