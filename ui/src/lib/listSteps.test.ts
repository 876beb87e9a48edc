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

describe('from a file in a collapsed directory or filtered out', () => {
  // Every file the list would show: 0 1 2 3 4; shown: 0, 3, 4 (1 and 2 collapsed).
  const around = [0, 1, 2, 3, 4];
  const counts = [1, 2, 2, 1, 1];
  it('steps to the nearest shown file on that side', () => {
    expect(stepFileWithin([0, 3, 4], 1, 1, around)).toBe(3);
    expect(stepFileWithin([0, 3, 4], 2, -1, around)).toBe(0);
    expect(stepFileWithin([0, 1], 4, 1, around)).toBeNull();
  });
  it('steps to the nearest shown hunk on that side', () => {
    expect(stepHunkWithin([0, 3, 4], counts, { file: 1, hunk: 1 }, 1, around)).toEqual({ file: 3, hunk: 0 });
    expect(stepHunkWithin([0, 3, 4], counts, { file: 2, hunk: 0 }, -1, around)).toEqual({ file: 0, hunk: 0 });
  });
});
