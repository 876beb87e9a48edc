import { describe, expect, it } from 'vitest';
import { stepFileWithin, stepHunkWithin } from './listSteps';

describe('stepFileWithin', () => {
  it('steps within the shown files, stopping at the ends', () => {
    expect(stepFileWithin([4, 1, 2], 1, 1)).toBe(2);
    expect(stepFileWithin([4, 1, 2], 1, -1)).toBe(4);
    expect(stepFileWithin([4, 1, 2], 2, 1)).toBe(2);
  });
  it('from a file not shown, goes to the first (or the last)', () => {
    expect(stepFileWithin([4, 1, 2], 0, 1)).toBe(4);
    expect(stepFileWithin([4, 1, 2], null, -1)).toBe(2);
    expect(stepFileWithin([], 0, 1)).toBeNull();
  });
});

describe('stepHunkWithin', () => {
  const counts = [2, 0, 1, 3];
  it('runs on through the shown files only', () => {
    expect(stepHunkWithin([0, 3], counts, { file: 0, hunk: 1 }, 1)).toEqual({ file: 3, hunk: 0 });
    expect(stepHunkWithin([3, 0], counts, { file: 0, hunk: 0 }, -1)).toEqual({ file: 3, hunk: 2 });
  });
  it('from a file not shown, starts at the first hunk of the first (or the last of the last)', () => {
    expect(stepHunkWithin([1, 2, 3], counts, { file: 0, hunk: 1 }, 1)).toEqual({ file: 2, hunk: 0 });
    expect(stepHunkWithin([2, 3, 1], counts, { file: 0, hunk: null }, -1)).toEqual({ file: 3, hunk: 2 });
    expect(stepHunkWithin([1], counts, { file: 0, hunk: 0 }, 1)).toBeNull();
    expect(stepHunkWithin([], counts, null, 1)).toBeNull();
  });
});
