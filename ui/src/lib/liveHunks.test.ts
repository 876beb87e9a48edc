import { describe, expect, it } from 'vitest';
import { changesBelowLabel, hunksBelow, newHunkIds } from './liveHunks';

const ids = (...list: string[]) => list.map((id) => ({ id }));

describe('newHunkIds', () => {
  it('names the hunks a reload added or changed', () => {
    expect(newHunkIds(ids('a', 'b'), ids('a', 'b2', 'c'))).toEqual(['b2', 'c']);
    expect(newHunkIds(ids('a', 'b'), ids('a'))).toEqual([]);
  });

  it('finds nothing new on a first drawing, or when the file showed no lines before', () => {
    expect(newHunkIds(null, ids('a'))).toEqual([]);
    expect(newHunkIds([], ids('a', 'b'))).toEqual([]);
  });
});

describe('hunksBelow', () => {
  it('keeps the hunks whose top is past the bottom, nearest first', () => {
    const hunks = [
      { id: 'far', top: 2000 },
      { id: 'seen', top: 100 },
      { id: 'near', top: 900 },
    ];
    expect(hunksBelow(hunks, 800)).toEqual(['near', 'far']);
    expect(hunksBelow(hunks, 3000)).toEqual([]);
  });

  it('says how many', () => {
    expect(changesBelowLabel(1)).toBe('1 change below');
    expect(changesBelowLabel(3)).toBe('3 changes below');
  });
});
