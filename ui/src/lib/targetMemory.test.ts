import { describe, expect, it } from 'vitest';
import { recall, remember } from './targetMemory';

const counts = [2, 5, 1];
const hunks = (index: number) => counts[index] ?? 0;

describe('the place kept per target', () => {
  it('puts the reviewer back on the file and hunk they left', () => {
    const memory = remember(new Map(), 'HEAD', { path: 'src/b.rs', hunk: 3 });
    expect(recall(memory, 'HEAD', ['src/a.rs', 'src/b.rs', 'src/c.rs'], hunks)).toEqual({ file: 1, hunk: 3 });
  });

  it('starts on the first file of a target never left, or of a review without the file', () => {
    const memory = remember(new Map(), 'HEAD', { path: 'gone.rs', hunk: 0 });
    expect(recall(memory, 'worktree', ['src/a.rs'], hunks)).toEqual({ file: 0, hunk: null });
    expect(recall(memory, 'HEAD', ['src/a.rs'], hunks)).toEqual({ file: 0, hunk: null });
    expect(recall(memory, 'HEAD', [], hunks)).toEqual({ file: null, hunk: null });
  });

  it('keeps the file but not a hunk the file no longer has', () => {
    const memory = remember(new Map(), 'worktree', { path: 'src/c.rs', hunk: 4 });
    expect(recall(memory, 'worktree', ['src/a.rs', 'src/b.rs', 'src/c.rs'], hunks)).toEqual({ file: 2, hunk: null });
  });

  it('keeps each target apart, replaces a place, forgets one, and never changes the map it was given', () => {
    const first = remember(new Map(), 'HEAD', { path: 'src/a.rs', hunk: 1 });
    const second = remember(first, 'worktree', { path: 'src/b.rs', hunk: null });
    const third = remember(second, 'HEAD', { path: 'src/b.rs', hunk: 0 });
    expect(first.size).toBe(1);
    expect(recall(third, 'HEAD', ['src/a.rs', 'src/b.rs'], hunks)).toEqual({ file: 1, hunk: 0 });
    expect(recall(third, 'worktree', ['src/a.rs', 'src/b.rs'], hunks)).toEqual({ file: 1, hunk: null });
    expect(remember(third, 'HEAD', null).has('HEAD')).toBe(false);
  });
});
