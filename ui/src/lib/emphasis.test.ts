import { describe, expect, it } from 'vitest';
import { emphasisSegments } from './emphasis';

const joined = (segments: { text: string }[]) => segments.map((s) => s.text).join('');

describe('emphasisSegments', () => {
  it('marks the changed word and keeps the rest plain', () => {
    const text = 'let limit = alpha(x);';
    expect(emphasisSegments(text, [{ start: 12, end: 17 }])).toEqual([
      { text: 'let limit = ', emphasized: false },
      { text: 'alpha', emphasized: true },
      { text: '(x);', emphasized: false },
    ]);
  });

  it('is one plain segment without ranges, and nothing for an empty line', () => {
    expect(emphasisSegments('  x  ', [])).toEqual([{ text: '  x  ', emphasized: false }]);
    expect(emphasisSegments('', [])).toEqual([]);
    expect(emphasisSegments('', [{ start: 0, end: 3 }])).toEqual([]);
  });

  it('handles ranges at both ends and several ranges', () => {
    const text = 'a = 1 + 2';
    const segments = emphasisSegments(text, [
      { start: 0, end: 1 },
      { start: 4, end: 5 },
      { start: 8, end: 9 },
    ]);
    expect(segments.map((s) => [s.text, s.emphasized])).toEqual([
      ['a', true],
      [' = ', false],
      ['1', true],
      [' + ', false],
      ['2', true],
    ]);
    expect(joined(segments)).toBe(text);
  });

  it('sorts, merges touching or overlapping ranges and clamps them to the text', () => {
    const text = 'abcdefgh';
    const segments = emphasisSegments(text, [
      { start: 5, end: 99 },
      { start: 1, end: 3 },
      { start: 2, end: 4 },
      { start: 4, end: 5 },
      { start: -3, end: 0 },
      { start: 6, end: 6 },
    ]);
    expect(segments).toEqual([
      { text: 'a', emphasized: false },
      { text: 'bcdefgh', emphasized: true },
    ]);
  });

  it('slices by UTF-16 code units, as the core counts them', () => {
    // "é" is one unit, "😀" two: the range of "b" starts after both.
    const text = 'é😀 b c';
    const start = text.indexOf('b');
    expect(start).toBe(4);
    expect(emphasisSegments(text, [{ start, end: start + 1 }])).toEqual([
      { text: 'é😀 ', emphasized: false },
      { text: 'b', emphasized: true },
      { text: ' c', emphasized: false },
    ]);
  });

  it('keeps tabs, trailing blanks and a CR exactly', () => {
    const text = '\tx = 1;  \r';
    const segments = emphasisSegments(text, [{ start: 5, end: 6 }]);
    expect(joined(segments)).toBe(text);
    expect(segments[1]).toEqual({ text: '1', emphasized: true });
  });
});
