import { describe, expect, it } from 'vitest';
import { PAGE_ROWS, rovingMove, rovingStop } from './roving';

describe('rovingMove', () => {
  it('moves a row, a page, or to an end, stopping at the ends', () => {
    expect(rovingMove('ArrowDown', 0, 3)).toBe(1);
    expect(rovingMove('ArrowDown', 2, 3)).toBe(2);
    expect(rovingMove('ArrowUp', 0, 3)).toBe(0);
    expect(rovingMove('ArrowUp', 2, 3)).toBe(1);
    expect(rovingMove('Home', 2, 3)).toBe(0);
    expect(rovingMove('End', 0, 3)).toBe(2);
    expect(rovingMove('PageDown', 0, 50)).toBe(PAGE_ROWS);
    expect(rovingMove('PageUp', 3, 50)).toBe(0);
  });
  it('ignores other keys and empty lists', () => {
    expect(rovingMove('Enter', 0, 3)).toBeNull();
    expect(rovingMove('j', 0, 3)).toBeNull();
    expect(rovingMove('ArrowDown', 0, 0)).toBeNull();
  });
});

describe('rovingStop', () => {
  it('is the row focused last, else the selected one, else the first', () => {
    expect(rovingStop(5, 3, 1)).toBe(3);
    expect(rovingStop(5, null, 1)).toBe(1);
    expect(rovingStop(5, 9, 1)).toBe(1);
    expect(rovingStop(5, null, null)).toBe(0);
    expect(rovingStop(0, 0, 0)).toBeNull();
  });
});
