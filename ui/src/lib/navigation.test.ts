import { describe, expect, it } from 'vitest';
import { stepHunk, stepHunkInOrder, stepInOrder, stepIndex } from './navigation';

describe('stepIndex', () => {
  it('moves by one and stops at both ends', () => {
    expect(stepIndex(0, 3, 1)).toBe(1);
    expect(stepIndex(2, 3, 1)).toBe(2);
    expect(stepIndex(1, 3, -1)).toBe(0);
    expect(stepIndex(0, 3, -1)).toBe(0);
  });
  it('starts at the first item when nothing is selected', () => {
    expect(stepIndex(null, 3, 1)).toBe(0);
    expect(stepIndex(null, 3, -1)).toBe(0);
  });
  it('has nowhere to go in an empty list', () => {
    expect(stepIndex(null, 0, 1)).toBeNull();
    expect(stepIndex(0, 0, -1)).toBeNull();
  });
  it('pulls an index that is out of range back into the list', () => {
    expect(stepIndex(9, 3, 1)).toBe(2);
  });
});

describe('stepHunk', () => {
  // file 0: 2 hunks, file 1: binary (0), file 2: 1 hunk, file 3: empty (0)
  const counts = [2, 0, 1, 0];

  it('enters the current file at its first hunk', () => {
    expect(stepHunk(counts, { file: 0, hunk: null }, 1)).toEqual({ file: 0, hunk: 0 });
  });
  it('walks the hunks of a file', () => {
    expect(stepHunk(counts, { file: 0, hunk: 0 }, 1)).toEqual({ file: 0, hunk: 1 });
    expect(stepHunk(counts, { file: 0, hunk: 1 }, -1)).toEqual({ file: 0, hunk: 0 });
  });
  it('runs on into the next file with hunks, skipping files without', () => {
    expect(stepHunk(counts, { file: 0, hunk: 1 }, 1)).toEqual({ file: 2, hunk: 0 });
    expect(stepHunk(counts, { file: 1, hunk: null }, 1)).toEqual({ file: 2, hunk: 0 });
  });
  it('runs back into the last hunk of the previous file with hunks', () => {
    expect(stepHunk(counts, { file: 2, hunk: 0 }, -1)).toEqual({ file: 0, hunk: 1 });
    expect(stepHunk(counts, { file: 2, hunk: null }, -1)).toEqual({ file: 0, hunk: 1 });
    expect(stepHunk(counts, { file: 3, hunk: null }, -1)).toEqual({ file: 2, hunk: 0 });
  });
  it('stops at the first and the last hunk of the review', () => {
    expect(stepHunk(counts, { file: 2, hunk: 0 }, 1)).toBeNull();
    expect(stepHunk(counts, { file: 0, hunk: 0 }, -1)).toBeNull();
    expect(stepHunk(counts, { file: 0, hunk: null }, -1)).toBeNull();
  });
  it('finds nothing in a review without hunks', () => {
    expect(stepHunk([], { file: 0, hunk: null }, 1)).toBeNull();
    expect(stepHunk([0, 0], { file: 0, hunk: null }, 1)).toBeNull();
    expect(stepHunk([0, 0], { file: 1, hunk: null }, -1)).toBeNull();
  });
});

describe('stepInOrder', () => {
  const order = [2, 0, 3, 1];
  it('follows the shown order, stopping at its ends', () => {
    expect(stepInOrder(order, 2, 1)).toBe(0);
    expect(stepInOrder(order, 3, 1)).toBe(1);
    expect(stepInOrder(order, 1, 1)).toBe(1);
    expect(stepInOrder(order, 2, -1)).toBe(2);
    expect(stepInOrder(order, null, 1)).toBe(2);
    expect(stepInOrder([], null, 1)).toBeNull();
  });
});

describe('stepHunkInOrder', () => {
  it('runs on into the next file of the shown order, skipping files without hunks', () => {
    const counts = [2, 0, 1, 3];
    const order = [3, 1, 0, 2];
    expect(stepHunkInOrder(order, counts, { file: 3, hunk: 2 }, 1)).toEqual({ file: 0, hunk: 0 });
    expect(stepHunkInOrder(order, counts, { file: 0, hunk: 0 }, -1)).toEqual({ file: 3, hunk: 2 });
    expect(stepHunkInOrder(order, counts, { file: 2, hunk: 0 }, 1)).toBeNull();
  });
});
